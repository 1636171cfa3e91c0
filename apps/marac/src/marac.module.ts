import { Module } from '@nestjs/common';

import { ActionProgressUseCase } from './actions/action-progress.usecase';
import { ActionsController } from './actions/actions.controller';
import { RecordActionsUseCase } from './actions/record-actions.usecase';
import { MaracAudit } from './audit/marac-audit';
import { CaseQueries } from './cases/case-queries.service';
import { CasesController } from './cases/cases.controller';
import { Clock } from './clock/clock';
import { DeadlineEscalationJob } from './deadlines/deadline-escalation.job';
import { MARAC_SETTINGS_PROVIDERS } from './marac-settings';
import { MARAC_OUTBOUND } from './outbound/marac-outbound';
import { PendingTransportOutbound } from './outbound/pending-transport.outbound';
import { ReferralsController } from './referrals/referrals.controller';
import { SubmitReferralUseCase } from './referrals/submit-referral.usecase';
import { RecordResearchUseCase } from './research/record-research.usecase';

/** The coordinator's domain: referrals, listing, research, the pack, actions and deadlines. */
@Module({
  controllers: [ReferralsController, CasesController, ActionsController],
  providers: [
    ...MARAC_SETTINGS_PROVIDERS,
    Clock,
    MaracAudit,
    { provide: MARAC_OUTBOUND, useClass: PendingTransportOutbound },
    SubmitReferralUseCase,
    RecordResearchUseCase,
    RecordActionsUseCase,
    ActionProgressUseCase,
    CaseQueries,
    DeadlineEscalationJob,
  ],
  exports: [Clock, DeadlineEscalationJob],
})
export class MaracModule {}
