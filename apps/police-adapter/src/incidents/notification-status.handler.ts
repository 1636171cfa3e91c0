import { Injectable } from '@nestjs/common';
import {
  ESCALATION,
  Escalation,
  RECEIPT,
  Receipt,
  REJECTION,
  Rejection,
  SHARING_REFUSED,
  SharingRefused,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { NodeDeliveryHandler } from '@app/node';
import { EntityManager } from 'typeorm';

/**
 * What the police node does with what the hub sends back: receipts, rejections, sharing refusals
 * and escalations
 * set the times of the notification they name. Times only move from null to a value, so a
 * message handled twice changes nothing.
 */
@Injectable()
export class NotificationStatusHandler implements NodeDeliveryHandler {
  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type } = envelope.claims;
    if (type === RECEIPT.type) {
      const receipt = envelope.body as Receipt;
      if (receipt.status === 'delivered') {
        await manager.query(
          `UPDATE incident_notification SET delivered_at = COALESCE(delivered_at, $2),
             mailbox_id = COALESCE(mailbox_id, $3) WHERE message_id = $1`,
          [receipt.messageId, new Date(receipt.at), receipt.mailboxId],
        );
      } else {
        await manager.query(
          `UPDATE incident_notification SET acknowledged_at = COALESCE(acknowledged_at, $2),
             acknowledged_by = COALESCE(acknowledged_by, $3),
             delivered_at = COALESCE(delivered_at, $2), mailbox_id = COALESCE(mailbox_id, $4)
           WHERE message_id = $1`,
          [receipt.messageId, new Date(receipt.at), receipt.by ?? null, receipt.mailboxId],
        );
      }
    } else if (type === REJECTION.type) {
      const rejection = envelope.body as Rejection;
      await manager.query(
        `UPDATE incident_notification SET rejected_at = COALESCE(rejected_at, now()),
           rejection_code = COALESCE(rejection_code, $2), rejection_reason = COALESCE(rejection_reason, $3)
         WHERE message_id = $1`,
        [rejection.messageId, rejection.code, rejection.reason],
      );
    } else if (type === SHARING_REFUSED.type) {
      const refused = envelope.body as SharingRefused;
      await manager.query(
        `UPDATE incident_notification SET sharing_refused_at = COALESCE(sharing_refused_at, now()),
           sharing_rule_id = COALESCE(sharing_rule_id, $2),
           sharing_policy_version = COALESCE(sharing_policy_version, $3),
           sharing_refusal_reason = COALESCE(sharing_refusal_reason, $4),
           mailbox_id = COALESCE(mailbox_id, $5)
         WHERE message_id = $1`,
        [
          refused.messageId,
          refused.ruleId,
          refused.policyVersion,
          refused.reason,
          refused.recipientMailboxId ?? null,
        ],
      );
    } else if (type === ESCALATION.type) {
      const escalation = envelope.body as Escalation;
      await manager.query(
        `UPDATE incident_notification SET overdue_at = COALESCE(overdue_at, $2),
           mailbox_id = COALESCE(mailbox_id, $3) WHERE message_id = $1`,
        [escalation.messageId, new Date(escalation.escalatedAt), escalation.overdueMailboxId],
      );
    }
  }
}
