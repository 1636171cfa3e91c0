import {
  RECEIPT,
  Receipt,
  REJECTION,
  Rejection,
  SHARING_REFUSED,
  SharingRefused,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { EntityManager } from 'typeorm';

/**
 * What the hub says about a message the MARAC sent moves its `outgoing_message` row on: a
 * receipt forwarded from the member's node (`delivered`, `acknowledged`), a signed rejection
 * (e.g. NOT_A_MARAC_MEMBER) or a sharing refusal. Times only move from null to a value and a
 * refusal is final, so a message handled twice changes nothing. Returns whether it was one of
 * these.
 */
export async function recordOutgoingStatus(
  tx: EntityManager,
  envelope: VerifiedEnvelope,
): Promise<boolean> {
  const { type } = envelope.claims;
  if (type === RECEIPT.type) {
    const receipt = envelope.body as Receipt;
    const at = new Date(receipt.at);
    await tx.query(
      receipt.status === 'delivered'
        ? `UPDATE outgoing_message SET delivered_at = COALESCE(delivered_at, $2),
             state = CASE WHEN state = 'sent' THEN 'delivered' ELSE state END
            WHERE id = $1`
        : `UPDATE outgoing_message SET acknowledged_at = COALESCE(acknowledged_at, $2),
             delivered_at = COALESCE(delivered_at, $2),
             state = CASE WHEN state IN ('sent', 'delivered') THEN 'acknowledged' ELSE state END
            WHERE id = $1`,
      [receipt.messageId, at],
    );
    return true;
  }
  if (type === REJECTION.type || type === SHARING_REFUSED.type) {
    const refused =
      type === REJECTION.type
        ? {
            messageId: (envelope.body as Rejection).messageId,
            state: 'rejected',
            code: (envelope.body as Rejection).code,
            reason: (envelope.body as Rejection).reason,
          }
        : {
            messageId: (envelope.body as SharingRefused).messageId,
            state: 'sharing-refused',
            code: 'SHARING_REFUSED',
            reason: `${(envelope.body as SharingRefused).ruleId} (${(envelope.body as SharingRefused).policyVersion}): ${(envelope.body as SharingRefused).reason}`,
          };
    await tx.query(
      `UPDATE outgoing_message SET state = $2, refused_at = now(), refusal_code = $3,
         refusal_reason = $4
        WHERE id = $1 AND refused_at IS NULL`,
      [refused.messageId, refused.state, refused.code, refused.reason.slice(0, 1000)],
    );
    return true;
  }
  return false;
}
