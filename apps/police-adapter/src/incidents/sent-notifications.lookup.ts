import { Injectable } from '@nestjs/common';
import { DOMESTIC_ABUSE_NOTIFICATION } from '@app/contracts';
import { SentMessage, SentMessageLookup } from '@app/node';
import { EntityManager } from 'typeorm';

/** The police node's domestic abuse notifications, for a correction to find what it corrects. */
@Injectable()
export class SentNotificationsLookup implements SentMessageLookup {
  async find(manager: EntityManager, messageId: string): Promise<SentMessage | undefined> {
    const [row] = (await manager.query(
      'SELECT subject_ref FROM incident_notification WHERE message_id = $1',
      [messageId],
    )) as { subject_ref: string }[];
    return row
      ? { type: DOMESTIC_ABUSE_NOTIFICATION.type, subjectRef: row.subject_ref }
      : undefined;
  }
}
