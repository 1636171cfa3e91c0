import { Injectable } from '@nestjs/common';
import {
  DOMESTIC_ABUSE_NOTIFICATION_ROUTED,
  DomesticAbuseNotificationRouted,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { markRecipient, NodeDeliveryHandler, RecipientTable, recipientNoticeOf } from '@app/node';
import { EntityManager } from 'typeorm';

/** One row per child's notification and recipient; only a notification this node sent has rows. */
export const INCIDENT_RECIPIENTS: RecipientTable = {
  table: 'incident_notification_recipient',
  mailboxColumn: 'mailbox_id',
  messages: 'incident_notification',
};

/**
 * What the police node does with what the hub sends back about its notifications, in the inbox's
 * transaction: the hub's routing answer names each recipient and its role (school, health, MASH)
 * and when it must acknowledge; receipts, rejections naming a recipient, sharing refusals and
 * escalations set that recipient's times (recipientNoticeOf, shared with every journey that
 * tracks recipients); a rejection naming no recipient refuses the notification as a whole. Times
 * only move from null to a value, so a message handled twice changes nothing, in any order.
 */
@Injectable()
export class NotificationStatusHandler implements NodeDeliveryHandler {
  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    if (envelope.claims.type === DOMESTIC_ABUSE_NOTIFICATION_ROUTED.type) {
      const routed = envelope.body as DomesticAbuseNotificationRouted;
      for (const { role, recipient, acknowledgeBy } of routed.recipients) {
        await markRecipient(manager, INCIDENT_RECIPIENTS, routed.messageId, recipient, {
          role,
          acknowledge_by: acknowledgeBy ? new Date(acknowledgeBy) : null,
        });
      }
      return;
    }
    const notice = recipientNoticeOf(envelope);
    if (!notice) return;
    if (notice.mailboxId !== undefined) {
      await markRecipient(
        manager,
        INCIDENT_RECIPIENTS,
        notice.messageId,
        notice.mailboxId,
        notice.facts,
      );
    } else {
      await manager.query(
        `UPDATE incident_notification SET rejected_at = COALESCE(rejected_at, now()),
           rejection_code = COALESCE(rejection_code, $2),
           rejection_reason = COALESCE(rejection_reason, $3)
         WHERE message_id = $1`,
        [notice.messageId, notice.rejection.code, notice.rejection.reason],
      );
    }
  }
}
