import { Get, Param, Render } from '@nestjs/common';

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
  async list(@CurrentSession() session: ActiveSession, @Param('mailboxId') mailboxId: string) {
    return { pageTitle: 'Your referrals', ...(await this.referrals.list(session, mailboxId)) };
  }
}
