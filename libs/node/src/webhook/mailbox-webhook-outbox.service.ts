import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_ENV } from '@app/platform';
import { EntityManager } from 'typeorm';

import { NodeServiceEnv } from '../config/node-service.env';

export interface MailboxArrival {
  messageId: string;
  mailboxId: string;
  type: string;
  receivedAt: Date;
}

/**
 * Records, in the transaction that stores a notification, that the mailbox's webhook must be
 * told: so a call is made if and only if the notification is stored, and a school endpoint that
 * is down loses nothing. Does nothing when MAILBOX_WEBHOOK_URL is unset.
 */
@Injectable()
export class MailboxWebhookOutbox {
  constructor(@Inject(SERVICE_ENV) private readonly env: NodeServiceEnv) {}

  get enabled(): boolean {
    return Boolean(this.env.MAILBOX_WEBHOOK_URL);
  }

  async add(manager: EntityManager, arrival: MailboxArrival): Promise<void> {
    if (!this.enabled) return;
    await manager.query(
      `INSERT INTO mailbox_webhook (message_id, mailbox_id, message_type, received_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING`,
      [arrival.messageId, arrival.mailboxId, arrival.type, arrival.receivedAt],
    );
  }
}
