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

import { RecipientFacts } from './recipient-status';

/** What one of the hub's messages says about a message this node sent. */
export type RecipientNotice =
  /** About one recipient: the facts to set on its row. */
  | { messageId: string; mailboxId: string; facts: Partial<RecipientFacts> }
  /** A rejection of the message as a whole (it names no recipient). */
  | { messageId: string; mailboxId?: undefined; rejection: { code: string; reason: string } };

/**
 * The recipient a receipt, rejection, sharing refusal or escalation from the hub is about, and
 * what it says, as columns of a sender's recipient row; undefined for any other message. The
 * sender's copy of an escalation names the sender's message (and may be filed in the sender's
 * mailbox); an escalation mailbox's copy names the hub's delivery instead, which is no message of
 * the node, so it matches no sender's row. A journey with its own deadline kinds looks at the
 * escalation first.
 */
export function recipientNoticeOf(envelope: VerifiedEnvelope): RecipientNotice | undefined {
  const { type } = envelope.claims;
  if (type === RECEIPT.type) {
    const receipt = envelope.body as Receipt;
    const at = new Date(receipt.at);
    return {
      messageId: receipt.messageId,
      mailboxId: receipt.mailboxId,
      facts:
        receipt.status === 'delivered'
          ? { delivered_at: at }
          : { delivered_at: at, acknowledged_at: at, acknowledged_by: receipt.by ?? null },
    };
  }
  if (type === REJECTION.type) {
    const rejection = envelope.body as Rejection;
    if (!rejection.recipient) {
      return {
        messageId: rejection.messageId,
        rejection: { code: rejection.code, reason: rejection.reason },
      };
    }
    return {
      messageId: rejection.messageId,
      mailboxId: rejection.recipient,
      facts: {
        rejected_at: new Date(),
        rejection_code: rejection.code,
        rejection_reason: rejection.reason,
      },
    };
  }
  if (type === SHARING_REFUSED.type) {
    const refused = envelope.body as SharingRefused;
    if (!refused.recipientMailboxId) return undefined;
    return {
      messageId: refused.messageId,
      mailboxId: refused.recipientMailboxId,
      facts: {
        sharing_refused_at: new Date(),
        sharing_rule_id: refused.ruleId,
        sharing_policy_version: refused.policyVersion,
        sharing_refusal_reason: refused.reason,
      },
    };
  }
  if (type === ESCALATION.type) {
    const escalation = envelope.body as Escalation;
    return {
      messageId: escalation.messageId,
      mailboxId: escalation.overdueMailboxId,
      facts: { overdue_at: new Date(escalation.escalatedAt) },
    };
  }
  return undefined;
}
