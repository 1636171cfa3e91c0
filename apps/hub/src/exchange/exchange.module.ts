import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxModule } from '@app/messaging';
import { RegistryModule } from '@app/registry';

import { ConsentWithdrawalDeadline } from '../consent/consent-withdrawal-deadline.service';
import { RouteConsentWithdrawalUseCase } from '../consent/route-consent-withdrawal.usecase';
import { CorrectableJourneys } from '../corrections/correctable-journeys.service';
import { RouteCorrectionUseCase } from '../corrections/route-correction.usecase';
import { DeadlineEscalationJob } from '../deadlines/deadline-escalation.job';
import { EscalateOverdueUseCase } from '../deadlines/escalate-overdue.usecase';
import { HubKeysModule } from '../keys/hub-keys.module';
import { RouteMissingEpisodeUseCase } from '../missing-episodes/route-missing-episode.usecase';
import { RouteReturnHomeInterviewUseCase } from '../missing-episodes/route-return-home-interview.usecase';
import { SharingPolicyService } from '../policy/sharing-policy.service';
import { ReferralCalendar } from '../referrals/referral-calendar.service';
import { RouteReferralOutcomeUseCase } from '../referrals/route-referral-outcome.usecase';
import { RouteReferralUseCase } from '../referrals/route-referral.usecase';
import { RouteDomesticAbuseNotificationUseCase } from '../domestic-abuse/route-domestic-abuse-notification.usecase';
import { MaracMemberMailboxes } from '../marac/marac-member-mailboxes.service';
import { MaracReplyRouter } from '../marac/marac-reply-router.service';
import { RouteMaracActionUpdateUseCase } from '../marac/route-marac-action-update.usecase';
import { RouteMaracActionUseCase } from '../marac/route-marac-action.usecase';
import { RouteMaracEscalationUseCase } from '../marac/route-marac-escalation.usecase';
import { RouteMaracInformationRequestUseCase } from '../marac/route-marac-information-request.usecase';
import { RouteMaracInformationResponseUseCase } from '../marac/route-marac-information-response.usecase';
import { RouteMaracReferralDecisionUseCase } from '../marac/route-marac-referral-decision.usecase';
import { RouteMaracReferralUseCase } from '../marac/route-marac-referral.usecase';
import { RouteToMaracMember } from '../marac/route-to-marac-member.service';
import { ChildRecipients } from '../routing/child-recipients.service';
import { SubmissionRouter } from '../routing/submission-router.service';
import { SubmissionRoutes } from '../routing/submission-routes.service';
import { VerificationModule } from '../verification/verification.module';
import { HubEnvelopeOpener } from './hub-envelope-opener.service';
import { HubSender } from './hub-sender.service';
import { EnvelopeIntake } from './envelope-intake.service';
import { ProcessReceiptUseCase } from './process-receipt.usecase';
import { ProcessSubmissionUseCase } from './process-submission.usecase';
import { RefusalService } from './refusal.service';
import { ExchangeConsumer } from './submission.consumer';

/**
 * The hub's part of a message's way through: verify, route, apply the policy, seal, track,
 * escalate. Each `Route…UseCase` provider declares its submission type (`@RoutesSubmission`).
 */
@Module({
  imports: [DiscoveryModule, RegistryModule, VerificationModule, HubKeysModule, OutboxModule],
  controllers: [ExchangeConsumer],
  providers: [
    HubSender,
    HubEnvelopeOpener,
    RefusalService,
    SharingPolicyService,
    ProcessSubmissionUseCase,
    EnvelopeIntake,
    ProcessReceiptUseCase,
    SubmissionRouter,
    SubmissionRoutes,
    ChildRecipients,
    RouteDomesticAbuseNotificationUseCase,
    ReferralCalendar,
    RouteReferralUseCase,
    RouteReferralOutcomeUseCase,
    RouteMissingEpisodeUseCase,
    RouteReturnHomeInterviewUseCase,
    MaracMemberMailboxes,
    RouteToMaracMember,
    RouteMaracReferralUseCase,
    RouteMaracReferralDecisionUseCase,
    RouteMaracInformationRequestUseCase,
    MaracReplyRouter,
    RouteMaracInformationResponseUseCase,
    RouteMaracActionUseCase,
    RouteMaracActionUpdateUseCase,
    RouteMaracEscalationUseCase,
    ConsentWithdrawalDeadline,
    RouteConsentWithdrawalUseCase,
    CorrectableJourneys,
    RouteCorrectionUseCase,
    EscalateOverdueUseCase,
    DeadlineEscalationJob,
  ],
  exports: [HubKeysModule, DeadlineEscalationJob, SharingPolicyService],
})
export class ExchangeModule {}
