import { Injectable } from '@nestjs/common';
import {
  CORRECTION_ROUTED,
  CorrectionRouted,
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

const CORRECTION_RECIPIENTS: RecipientTable = {
  table: 'correction_recipient',
  mailboxColumn: 'mailbox_id',
  messages: 'correction',
};

/**
 * What the hub sends back about this node's corrections, in the inbox's transaction: whom it
 * sent each to and in which role, each mailbox's receipts, escalations for a mailbox that did
 * not acknowledge in time, and refusals. Only a correction this node has gets a row (markRecipient).
 */
@Injectable()
export class CorrectionDeliveries {
  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type } = envelope.claims;
    const mark = (messageId: string, mailboxId: string, values: Record<string, unknown>) =>
      markRecipient(manager, CORRECTION_RECIPIENTS, messageId, mailboxId, values);
    if (type === CORRECTION_ROUTED.type) {
      const routed = envelope.body as CorrectionRouted;
      await manager.query(
        'UPDATE correction SET routed_at = COALESCE(routed_at, $2) WHERE message_id = $1',
        [routed.messageId, new Date(routed.routedAt)],
      );
      for (const recipient of routed.recipients) {
        await mark(routed.messageId, recipient.mailboxId, {
          role: recipient.role,
          acknowledge_by: new Date(recipient.acknowledgeBy),
        });
      }
    } else if (type === RECEIPT.type) {
      const receipt = envelope.body as Receipt;
      const at = new Date(receipt.at);
      await mark(receipt.messageId, receipt.mailboxId, {
        delivered_at: at,
        ...(receipt.status === 'acknowledged'
          ? { acknowledged_at: at, acknowledged_by: receipt.by ?? null }
          : {}),
      });
    } else if (type === ESCALATION.type) {
      const escalation = envelope.body as Escalation;
      await mark(escalation.messageId, escalation.overdueMailboxId, {
        overdue_at: new Date(escalation.escalatedAt),
      });
    } else if (type === REJECTION.type) {
      const rejection = envelope.body as Rejection;
      if (rejection.recipient) {
        await mark(rejection.messageId, rejection.recipient, {
          not_reached_code: rejection.code,
          not_reached_reason: rejection.reason,
        });
      } else {
        await manager.query(
          `UPDATE correction SET rejected_at = COALESCE(rejected_at, now()),
             rejection_code = COALESCE(rejection_code, $2),
             rejection_reason = COALESCE(rejection_reason, $3) WHERE message_id = $1`,
          [rejection.messageId, rejection.code, rejection.reason],
        );
      }
    } else if (type === SHARING_REFUSED.type) {
      const refused = envelope.body as SharingRefused;
      if (!refused.recipientMailboxId) return;
      await mark(refused.messageId, refused.recipientMailboxId, {
        not_reached_code: 'SHARING_REFUSED',
        not_reached_reason: `${refused.ruleId} (${refused.policyVersion}): ${refused.reason}`,
      });
    }
  }
}
