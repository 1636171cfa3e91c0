import { Injectable } from '@nestjs/common';
import {
  assertRecordMatchesEnvelope,
  ExchangeError,
  ExchangeErrorCode,
  isExchangeError,
} from '@app/contracts';
import { payloadDigest, VerifiedEnvelope } from '@app/crypto';

import { EnvelopeVerifierService } from '../verification/envelope-verifier.service';
import { HubEnvelopeOpener } from './hub-envelope-opener.service';
import { claimedClaims, claimedFromHeaders, IncomingRecord } from './incoming-record';
import { RefusalService } from './refusal.service';

/** A record that opened and verified, with what a later refusal of it needs. */
export interface AcceptedEnvelope<B extends object> {
  verified: VerifiedEnvelope<B>;
  /** Digest of the signed envelope: a copy encrypted again is still the same message. */
  digest: string;
  claimed: ReturnType<typeof claimedClaims> & { digest: string };
}

/**
 * The first steps of every record the hub consumes from a node: decrypt, verify, check the
 * record's key and headers against the signed claims and the type against the topic. A failure
 * is quarantined (as it came, still encrypted) and refused to the sender; the caller gets
 * undefined and has nothing more to do.
 */
@Injectable()
export class EnvelopeIntake {
  constructor(
    private readonly opener: HubEnvelopeOpener,
    private readonly verifier: EnvelopeVerifierService,
    private readonly refusals: RefusalService,
  ) {}

  async accept<B extends object>(
    record: IncomingRecord,
    topicTypes: readonly string[],
    topicName: string,
  ): Promise<AcceptedEnvelope<B> | undefined> {
    let jws: string;
    try {
      jws = await this.opener.open(record.value);
    } catch (error) {
      if (!isExchangeError(error)) throw error;
      await this.refusals.refuse(
        {
          ...record,
          ...claimedFromHeaders(record),
          sourceTopic: record.topic,
          signatureVerified: false,
        },
        error,
      );
      return undefined;
    }
    const digest = payloadDigest(jws);
    const claimed = { ...claimedClaims(jws), digest };
    try {
      const verified = await this.verifier.check<B>(jws);
      assertRecordMatchesEnvelope({ key: record.key, headers: record.rawHeaders }, verified.claims);
      if (!topicTypes.includes(verified.claims.type)) {
        throw new ExchangeError(
          ExchangeErrorCode.TOPIC_TYPE_MISMATCH,
          `the ${topicName} topic does not take ${verified.claims.type}`,
        );
      }
      return { verified, digest, claimed };
    } catch (error) {
      if (!isExchangeError(error)) throw error;
      await this.refusals.refuse(
        { ...record, ...claimed, sourceTopic: record.topic, signatureVerified: false },
        error,
      );
      return undefined;
    }
  }

  /**
   * Refuses a record whose handling failed for good after it was accepted (a value the database
   * refuses, an impossible date): quarantined with the code, a signed rejection to its verified
   * sender, audited — so the sender's status says `rejected` with the reason.
   */
  async refuseUnprocessable(
    record: IncomingRecord,
    topicTypes: readonly string[],
    topicName: string,
    failure: { code: ExchangeErrorCode; reason: string },
  ): Promise<void> {
    const accepted = await this.accept(record, topicTypes, topicName);
    if (!accepted) return;
    await this.refusals.refuse(
      { ...record, ...accepted.claimed, sourceTopic: record.topic, signatureVerified: true },
      new ExchangeError(failure.code, failure.reason),
    );
  }
}
