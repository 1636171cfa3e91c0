import { Injectable, Logger } from '@nestjs/common';
import {
  CONSENT_WITHDRAWN,
  DOMESTIC_ABUSE_NOTIFICATION,
  ExchangeError,
  ExchangeErrorCode,
  isExchangeError,
  MISSING_EPISODE,
  MARAC_ACTION,
  MARAC_ACTION_UPDATE,
  MARAC_ESCALATION,
  MARAC_INFORMATION_REQUEST,
  MARAC_INFORMATION_RESPONSE,
  MARAC_REFERRAL,
  MARAC_REFERRAL_DECISION,
  REFERRAL,
  REFERRAL_OUTCOME,
  RETURN_HOME_INTERVIEW_OUTCOME,
} from '@app/contracts';
import { DataSource } from 'typeorm';

import { RouteConsentWithdrawalUseCase } from '../consent/route-consent-withdrawal.usecase';
import { RouteDomesticAbuseNotificationUseCase } from '../domestic-abuse/route-domestic-abuse-notification.usecase';
import { RouteMissingEpisodeUseCase } from '../missing-episodes/route-missing-episode.usecase';
import { RouteReturnHomeInterviewUseCase } from '../missing-episodes/route-return-home-interview.usecase';
import { RouteMaracActionUpdateUseCase } from '../marac/route-marac-action-update.usecase';
import { RouteMaracActionUseCase } from '../marac/route-marac-action.usecase';
import { RouteMaracEscalationUseCase } from '../marac/route-marac-escalation.usecase';
import { RouteMaracInformationRequestUseCase } from '../marac/route-marac-information-request.usecase';
import { RouteMaracInformationResponseUseCase } from '../marac/route-marac-information-response.usecase';
import { RouteMaracReferralDecisionUseCase } from '../marac/route-marac-referral-decision.usecase';
import { RouteMaracReferralUseCase } from '../marac/route-marac-referral.usecase';
import { RouteReferralOutcomeUseCase } from '../referrals/route-referral-outcome.usecase';
import { RouteReferralUseCase } from '../referrals/route-referral.usecase';
import { SubmissionRoute } from '../routing/submission-route';
import { EnvelopeVerifierService } from '../verification/envelope-verifier.service';
import { EnvelopeIntake } from './envelope-intake.service';
import { IncomingRecord } from './incoming-record';
import { processedDigest } from './processed-messages';
import { RefusalService } from './refusal.service';

/**
 * One submitted envelope: the trust layer accepts it (decrypt, verify, a type the hub routes),
 * a copy already processed is ignored and another body under a processed id refused as a replay,
 * then the use case of its type routes it (each under apps/hub/src/<journey>).
 */
@Injectable()
export class ProcessSubmissionUseCase {
  private readonly logger = new Logger(ProcessSubmissionUseCase.name);
  /** Submission type → the use case that routes it. */
  private readonly routes: ReadonlyMap<string, SubmissionRoute>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: EnvelopeVerifierService,
    private readonly intake: EnvelopeIntake,
    private readonly refusals: RefusalService,
    domesticAbuse: RouteDomesticAbuseNotificationUseCase,
    referrals: RouteReferralUseCase,
    referralOutcomes: RouteReferralOutcomeUseCase,
    missingEpisodes: RouteMissingEpisodeUseCase,
    returnHomeInterviews: RouteReturnHomeInterviewUseCase,
    maracReferrals: RouteMaracReferralUseCase,
    maracReferralDecisions: RouteMaracReferralDecisionUseCase,
    maracRequests: RouteMaracInformationRequestUseCase,
    maracResponses: RouteMaracInformationResponseUseCase,
    maracActions: RouteMaracActionUseCase,
    maracActionUpdates: RouteMaracActionUpdateUseCase,
    maracEscalations: RouteMaracEscalationUseCase,
    consentWithdrawals: RouteConsentWithdrawalUseCase,
  ) {
    this.routes = new Map<string, SubmissionRoute>([
      [DOMESTIC_ABUSE_NOTIFICATION.type, domesticAbuse],
      [REFERRAL.type, referrals],
      [REFERRAL_OUTCOME.type, referralOutcomes],
      [MISSING_EPISODE.type, missingEpisodes],
      [RETURN_HOME_INTERVIEW_OUTCOME.type, returnHomeInterviews],
      [MARAC_REFERRAL.type, maracReferrals],
      [MARAC_REFERRAL_DECISION.type, maracReferralDecisions],
      [MARAC_INFORMATION_REQUEST.type, maracRequests],
      [MARAC_INFORMATION_RESPONSE.type, maracResponses],
      [MARAC_ACTION.type, maracActions],
      [MARAC_ACTION_UPDATE.type, maracActionUpdates],
      [MARAC_ESCALATION.type, maracEscalations],
      [CONSENT_WITHDRAWN.type, consentWithdrawals],
    ]);
  }

  /** A submission whose handling failed for good: refused to its sender (EnvelopeIntake). */
  refuse(
    record: IncomingRecord,
    failure: { code: ExchangeErrorCode; reason: string },
  ): Promise<void> {
    return this.intake.refuseUnprocessable(record, [...this.routes.keys()], 'submissions', failure);
  }

  async execute(record: IncomingRecord): Promise<void> {
    const accepted = await this.intake.accept<object>(
      record,
      [...this.routes.keys()],
      'submissions',
    );
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
    const route = this.routes.get(claims.type);
    if (!route) throw new Error(`no route for accepted type ${claims.type}`);
    return route.execute({ record, verified, digest });
  }
}
