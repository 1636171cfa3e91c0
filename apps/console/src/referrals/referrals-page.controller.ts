import { Get, Param, Query, Render } from '@nestjs/common';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { ActiveSession } from '../session/console-sessions.service';
import { SentReferrals } from './sent-referrals.service';

/** The referrals a mailbox made, each with the MASH's decision once it arrives. */
@ConsolePages('mailboxes/:mailboxId/referrals')
@NeedsRole('mailbox-user')
export class ReferralsPageController {
  constructor(private readonly referrals: SentReferrals) {}

  @Get()
  @Render('referrals')
  async list(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Query('sent') sent?: string,
  ) {
    // After a referral is sent: its completeness score, shown in the banner.
    const justSent = sent && /^\d{1,3}$/.test(sent) ? Number(sent) : null;
    return {
      pageTitle: 'Your referrals',
      justSent,
      ...(await this.referrals.list(session, mailboxId)),
    };
  }
}
