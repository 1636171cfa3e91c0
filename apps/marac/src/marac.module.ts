import { Module } from '@nestjs/common';

import { ActionProgressUseCase } from './actions/action-progress.usecase';
import { RecordActionsUseCase } from './actions/record-actions.usecase';
import { MaracAudit } from './audit/marac-audit';
import { CaseQueries } from './cases/case-queries.service';
import { CasesController } from './cases/cases.controller';
import { Clock } from './clock/clock';
import { DeadlineEscalationJob } from './deadlines/deadline-escalation.job';
import { MARAC_SETTINGS_PROVIDERS } from './marac-settings';
import { MeetingQueries } from './meetings/meeting-queries.service';
import { MeetingsController } from './meetings/meetings.controller';
import { HubTransportOutbound } from './outbound/hub-transport.outbound';
import { MARAC_OUTBOUND } from './outbound/marac-outbound';
import { ReferralDecisions } from './referrals/referral-decisions.service';
import { ReferralsController } from './referrals/referrals.controller';
import { SubmitReferralUseCase } from './referrals/submit-referral.usecase';
import { RecordResearchUseCase } from './research/record-research.usecase';
import { PackDocuments } from './research/pack-documents.service';

/**
 * The coordinator's domain: referrals, listing, research, the pack, actions and deadlines.
 * Messages to members go through the hub (HubTransportOutbound); what members send back is fed
 * to the use cases exported here by the node's inbox (MaracDeliveryHandler).
 */
@Module({
  controllers: [ReferralsController, CasesController, MeetingsController],
  providers: [
    ...MARAC_SETTINGS_PROVIDERS,
    Clock,
    MaracAudit,
    { provide: MARAC_OUTBOUND, useClass: HubTransportOutbound },
    ReferralDecisions,
    SubmitReferralUseCase,
    RecordResearchUseCase,
    RecordActionsUseCase,
    ActionProgressUseCase,
    CaseQueries,
    MeetingQueries,
    PackDocuments,
    DeadlineEscalationJob,
  ],
  exports: [
    Clock,
    MaracAudit,
    DeadlineEscalationJob,
    ReferralDecisions,
    SubmitReferralUseCase,
    RecordResearchUseCase,
    ActionProgressUseCase,
  ],
})
export class MaracModule {}
