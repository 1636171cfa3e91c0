import { Injectable } from '@nestjs/common';
import {
  CONSENT_WITHDRAWAL_ROUTED,
  ConsentWithdrawalRouted,
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
import { EntityManager } from 'typeorm';

import { markRecipient, RecipientTable } from '../recipients/mark-recipient';

const CONSENT_WITHDRAWAL_RECIPIENTS: RecipientTable = {
  table: 'consent_withdrawal_recipient',
  mailboxColumn: 'mailbox_id',
  messages: 'consent_withdrawal',
};

type RecipientColumn =
  | 'acknowledge_by'
  | 'delivered_at'
  | 'acknowledged_at'
  | 'acknowledged_by'
  | 'overdue_at'
  | 'not_reached_code'
  | 'not_reached_reason';

/**
 * Sets columns of one mailbox's row of a withdrawal this node sent (markRecipient: only for a
 * withdrawal this node has; a column only moves from null to a value).
 */
function setRecipient(
  manager: EntityManager,
  messageId: string,
  mailboxId: string,
  values: Partial<Record<RecipientColumn, Date | string | null>>,
): Promise<void> {
  return markRecipient(manager, CONSENT_WITHDRAWAL_RECIPIENTS, messageId, mailboxId, values);
}

/**
 * What the hub sends back about this node's consent withdrawals, in the inbox's transaction:
 * whom it told (or that nobody received the subject's data under consent), each mailbox's
 * receipts, escalations for a mailbox that did not acknowledge in time, and refusals.
 */
@Injectable()
export class ConsentWithdrawalDeliveries {
  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type } = envelope.claims;
    if (type === CONSENT_WITHDRAWAL_ROUTED.type) {
      const routed = envelope.body as ConsentWithdrawalRouted;
      await manager.query(
        `UPDATE consent_withdrawal SET routed_at = COALESCE(routed_at, $2),
           outcome = COALESCE(outcome, $3) WHERE message_id = $1`,
        [routed.messageId, new Date(routed.routedAt), routed.outcome],
      );
      for (const recipient of routed.recipients) {
        await setRecipient(manager, routed.messageId, recipient.mailboxId, {
          acknowledge_by: new Date(recipient.acknowledgeBy),
        });
      }
    } else if (type === RECEIPT.type) {
      const receipt = envelope.body as Receipt;
      const at = new Date(receipt.at);
      await setRecipient(manager, receipt.messageId, receipt.mailboxId, {
        delivered_at: at,
        ...(receipt.status === 'acknowledged'
          ? { acknowledged_at: at, acknowledged_by: receipt.by ?? null }
          : {}),
      });
    } else if (type === ESCALATION.type) {
      const escalation = envelope.body as Escalation;
      // The escalation mailbox's copy names the recipient's delivery, never a withdrawal id.
      await setRecipient(manager, escalation.messageId, escalation.overdueMailboxId, {
        overdue_at: new Date(escalation.escalatedAt),
      });
    } else if (type === REJECTION.type) {
      const rejection = envelope.body as Rejection;
      if (rejection.recipient) {
        await setRecipient(manager, rejection.messageId, rejection.recipient, {
          not_reached_code: rejection.code,
          not_reached_reason: rejection.reason,
        });
      } else {
        await manager.query(
          `UPDATE consent_withdrawal SET rejected_at = COALESCE(rejected_at, now()),
             rejection_code = COALESCE(rejection_code, $2),
             rejection_reason = COALESCE(rejection_reason, $3) WHERE message_id = $1`,
          [rejection.messageId, rejection.code, rejection.reason],
        );
      }
    } else if (type === SHARING_REFUSED.type) {
      const refused = envelope.body as SharingRefused;
      if (!refused.recipientMailboxId) return;
      await setRecipient(manager, refused.messageId, refused.recipientMailboxId, {
        not_reached_code: 'SHARING_REFUSED',
        not_reached_reason: `${refused.ruleId} (${refused.policyVersion}): ${refused.reason}`,
      });
    }
  }
}
