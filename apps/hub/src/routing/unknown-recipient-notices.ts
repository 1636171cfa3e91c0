import { ExchangeErrorCode, REJECTION, Rejection } from '@app/contracts';
import { AuditDraft, OutboxRecord } from '@app/messaging';

import { HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { VerifiedSubmission } from '../referrals/verified-submission';
import { MissingRecipient } from './child-recipients.service';

/**
 * A signed RECIPIENT_UNKNOWN rejection to the sender for each recipient the registry lacks,
 * naming it, and its audit event; for the route to write in its routing transaction while the
 * recipients the area has are still delivered. Sealed before any transaction.
 */
export async function unknownRecipientNotices(
  sender: HubSender,
  submission: VerifiedSubmission<object>,
  missing: Pick<MissingRecipient, 'recipient' | 'reason'>[],
): Promise<{ records: OutboxRecord[]; audits: AuditDraft[] }> {
  const { claims } = submission.verified;
  const records: OutboxRecord[] = [];
  const audits: AuditDraft[] = [];
  for (const { recipient, reason } of missing) {
    try {
      const { record } = await sender.sealFor<Rejection>(claims.iss, {
        definition: REJECTION,
        subjectRef: claims.sub,
        body: {
          messageId: claims.jti,
          code: ExchangeErrorCode.RECIPIENT_UNKNOWN,
          reason,
          recipient,
        },
      });
      records.push(record);
    } catch (error) {
      // The sender cannot be written to: the audit trail still says what happened.
      if (!(error instanceof NodeUnreachableError)) throw error;
    }
    audits.push({
      action: 'rejected',
      actor: HUB_NODE_ID,
      messageId: claims.jti,
      subjectRef: claims.sub,
      messageType: claims.type,
      senderNode: claims.iss,
      errorCode: ExchangeErrorCode.RECIPIENT_UNKNOWN,
      detail: reason,
    });
  }
  return { records, audits };
}
