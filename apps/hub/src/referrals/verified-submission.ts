import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';

import { IncomingRecord } from '../exchange/incoming-record';
import { RefusedMessage } from '../exchange/refusal.service';

/** A submission that passed every trust check and is not a duplicate, handed to its route. */
export interface VerifiedSubmission<B extends object> {
  record: IncomingRecord;
  verified: VerifiedEnvelope<B>;
  /** payloadDigest of the record's value. */
  digest: string;
}

/** The refusal of a verified submission, for RefusalService. */
export function refusedSubmission(
  submission: VerifiedSubmission<object>,
  code: ExchangeErrorCode,
  reason: string,
  recipient?: string,
): [RefusedMessage, ExchangeError] {
  const { record } = submission;
  const { iss, jti, sub, type } = submission.verified.claims;
  return [
    {
      ...record,
      // The verified claims: the record's value is encrypted to the hub and names nobody.
      iss,
      jti,
      sub,
      type,
      digest: submission.digest,
      sourceTopic: record.topic,
      signatureVerified: true,
      ...(recipient ? { recipient } : {}),
    },
    new ExchangeError(code, reason),
  ];
}
