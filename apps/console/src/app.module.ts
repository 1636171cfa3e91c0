import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlatformModule } from '@app/platform';

import { AuditChainPagesController } from './auditor/audit-chain-pages.controller';
import { AuditNames } from './auditor/audit-names.service';
import { AuditTrailPagesController } from './auditor/audit-trail-pages.controller';
import { ChainChecks } from './auditor/chain-checks.service';
import { DisclosurePagesController } from './auditor/disclosure-pages.controller';
import { DisclosurePages } from './auditor/disclosure-pages.service';
import { MessageStories } from './auditor/message-stories.service';
import { PolicyReasons } from './auditor/policy-reasons.service';
import { TrailSearches } from './auditor/trail-searches.service';
import { AdministratorPages } from './administrator/administrator-pages.service';
import { AdministratorController } from './administrator/administrator.controller';
import { ChildChronologyPages } from './chronology/child-chronology-pages.service';
import { ChronologyPageController } from './chronology/chronology-page.controller';
import { ConsoleEnv } from './config/console.env';
import { ControlRoomController } from './control-room/control-room.controller';
import { ControlRoomBoards } from './control-room/control-room.service';
import { CONSOLE_TABLES } from './console.tables';
import { MaracCasePages } from './marac/marac-case-pages.service';
import { MaracMeetings } from './marac/marac-meetings.service';
import { MaracPagesController } from './marac/marac-pages.controller';
import { MailboxPagesController } from './mailbox/mailbox-pages.controller';
import { MailboxPages } from './mailbox/mailbox-pages.service';
import { NotificationFormsController } from './mailbox/notification-forms.controller';
import { AreaDirectory } from './node-api/area-directory.service';
import { NodeApiClient } from './node-api/node-api.client';
import { PartnershipBoardController } from './partnership-board/partnership-board.controller';
import { PartnershipBoard } from './partnership-board/partnership-board.service';
import { HomeController } from './pages/home.controller';
import { ReferralDecisions } from './referral-decision/referral-decisions.service';
import { SentDecisions } from './referral-decision/sent-decisions.service';
import { ReferralFormController } from './referral-form/referral-form.controller';
import { ReferralForms } from './referral-form/referral-form.service';
import { ReferralsPageController } from './referrals/referrals-page.controller';
import { SentReferrals } from './referrals/sent-referrals.service';
import { ReturnHomeInterviews } from './return-home-interview/return-home-interviews.service';
import { ConsoleSessionEntity } from './session/console-session.entity';
import { ConsoleSessions } from './session/console-sessions.service';
import { SessionPurgeJob } from './session/session-purge.job';
import { SessionGuard } from './session/session.guard';
import { OidcProvider } from './sign-in/oidc-provider.service';
import { SignInController } from './sign-in/sign-in.controller';
import { EpisodeThreads } from './thread/episode-threads.service';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: {
        name: 'console',
        description:
          'The web console: the people who receive and act on notifications sign in and work in their browser.',
        // It calls the nodes' HTTP APIs only: /health checks its database, not the broker.
        usesKafka: false,
      },
      env: ConsoleEnv,
      tables: CONSOLE_TABLES,
    }),
    TypeOrmModule.forFeature([ConsoleSessionEntity]),
    ScheduleModule.forRoot(),
  ],
  controllers: [
    SignInController,
    HomeController,
    MailboxPagesController,
    NotificationFormsController,
    ReferralFormController,
    ReferralsPageController,
    ChronologyPageController,
    ControlRoomController,
    PartnershipBoardController,
    MaracPagesController,
    AuditTrailPagesController,
    AuditChainPagesController,
    DisclosurePagesController,
    AdministratorController,
  ],
  providers: [
    ConsoleSessions,
    SessionPurgeJob,
    OidcProvider,
    AreaDirectory,
    NodeApiClient,
    MailboxPages,
    ReferralDecisions,
    ReturnHomeInterviews,
    SentReferrals,
    ReferralForms,
    EpisodeThreads,
    SentDecisions,
    ChildChronologyPages,
    ControlRoomBoards,
    PartnershipBoard,
    MaracMeetings,
    MaracCasePages,
    AuditNames,
    TrailSearches,
    MessageStories,
    ChainChecks,
    DisclosurePages,
    AdministratorPages,
    PolicyReasons,
    { provide: APP_GUARD, useClass: SessionGuard },
  ],
})
export class AppModule {}
