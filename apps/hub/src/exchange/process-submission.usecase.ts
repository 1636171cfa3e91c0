import { Injectable, Logger } from '@nestjs/common';
import { ExchangeError, ExchangeErrorCode, isExchangeError } from '@app/contracts';
import { DataSource } from 'typeorm';

import { SubmissionRoutes } from '../routing/submission-routes.service';
import { EnvelopeVerifierService } from '../verification/envelope-verifier.service';
import { EnvelopeIntake } from './envelope-intake.service';
import { IncomingRecord } from './incoming-record';
import { processedDigest } from './processed-messages';
import { RefusalService } from './refusal.service';

/**
 * One submitted envelope: the trust layer accepts it (decrypt, verify, a type the hub routes),
 * a copy already processed is ignored and another body under a processed id refused as a replay,
 * then the use case of its type routes it (each under apps/hub/src/<journey>, found by its
 * `@RoutesSubmission` declaration).
 */
@Injectable()
export class ProcessSubmissionUseCase {
  private readonly logger = new Logger(ProcessSubmissionUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: EnvelopeVerifierService,
    private readonly intake: EnvelopeIntake,
    private readonly refusals: RefusalService,
    private readonly routes: SubmissionRoutes,
  ) {}

  /** A submission whose handling failed for good: refused to its sender (EnvelopeIntake). */
  refuse(
    record: IncomingRecord,
    failure: { code: ExchangeErrorCode; reason: string },
  ): Promise<void> {
    return this.intake.refuseUnprocessable(record, this.routes.types(), 'submissions', failure);
  }

  async execute(record: IncomingRecord): Promise<void> {
    const accepted = await this.intake.accept<object>(record, this.routes.types(), 'submissions');
    if (!accepted) return;
    const { verified, digest, claimed } = accepted;
    const { claims } = verified;

    // A copy of a message already processed (an outbox re-publish, a redelivery) is a duplicate:
    // nothing happens again. Another body under a processed id is a replay and is refused.
    const seenDigest = await processedDigest(this.dataSource.manager, claims.jti);
    if (seenDigest !== undefined) {
      if (seenDigest === digest) {
        this.logger.log(`duplicate of processed message ${claims.jti} ignored`);
        return;
      }
      return this.refusals.refuse(
        { ...record, ...claimed, sourceTopic: record.topic, signatureVerified: true },
        new ExchangeError(ExchangeErrorCode.REPLAYED, 'message id was already used'),
      );
    }
    try {
      await this.verifier.admit(verified);
    } catch (error) {
      // Seen but not processed: an earlier attempt of this hub stopped in between. Carry on;
      // the processed_message insert below decides who wins.
      if (!isExchangeError(error, ExchangeErrorCode.REPLAYED)) throw error;
    }
    const route = this.routes.for(claims.type);
    if (!route) throw new Error(`no route for accepted type ${claims.type}`);
    return route.execute({ record, verified, digest });
  }
}
