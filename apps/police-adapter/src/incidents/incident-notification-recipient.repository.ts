import { Injectable } from '@nestjs/common';
import { RecipientFacts } from '@app/node';
import { DataSource } from 'typeorm';

/** What the hub said about one recipient mailbox of a child's notification. */
export interface RecipientRow extends RecipientFacts {
  message_id: string;
  mailbox_id: string;
  role: string | null;
  acknowledge_by: Date | null;
}

/** The SQL that reads the incident_notification_recipient table. */
@Injectable()
export class IncidentNotificationRecipientRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every recipient of these notifications. */
  async ofNotifications(messageIds: string[]): Promise<RecipientRow[]> {
    if (!messageIds.length) return [];
    return (await this.dataSource.query(
      'SELECT * FROM incident_notification_recipient WHERE message_id = ANY($1::uuid[])',
      [messageIds],
    )) as RecipientRow[];
  }
}
