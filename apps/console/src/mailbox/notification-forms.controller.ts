import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { FormErrors } from '../presentation/form-errors';
import { FormPost } from '../presentation/form-values';
import { ReferralDecisions } from '../referral-decision/referral-decisions.service';
import { ReturnHomeInterviews } from '../return-home-interview/return-home-interviews.service';
import { ActiveSession } from '../session/console-sessions.service';
import { MailboxPages, notificationPath } from './mailbox-pages.service';

type FormResult =
  | { recorded: true }
  | { recorded: false; values: object; errors: FormErrors; alreadySent?: boolean };

/**
 * The forms of a notification's page besides acknowledging: the MASH's decision on a referral,
 * social care's return home interview. Sent: back to the page with its banner (post/redirect/
 * get). Refused: the page again, 400, with the answers kept and every problem named.
 */
@ConsolePages('mailboxes/:mailboxId/notifications/:messageId')
@NeedsRole('mailbox-user')
export class NotificationFormsController {
  constructor(
    private readonly pages: MailboxPages,
    private readonly decisions: ReferralDecisions,
    private readonly interviews: ReturnHomeInterviews,
  ) {}

  @Post('referral-decision')
  async referralDecision(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Body() form: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const result = await this.decisions.record(session, mailboxId, messageId, form);
    await this.answer(response, session, mailboxId, messageId, result, 'decided');
  }

  @Post('return-home-interview')
  async returnHomeInterview(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Body() form: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const result = await this.interviews.record(session, mailboxId, messageId, form);
    await this.answer(response, session, mailboxId, messageId, result, 'interview');
  }

  private async answer(
    response: Response,
    session: ActiveSession,
    mailboxId: string,
    messageId: string,
    result: FormResult,
    banner: 'decided' | 'interview',
  ): Promise<void> {
    if (result.recorded) {
      response.redirect(303, `${notificationPath(mailboxId, messageId)}?${banner}=1`);
      return;
    }
    const page = await this.pages.read(session, mailboxId, messageId);
    // Already done (a second decision): 409, the page showing what was sent; otherwise 400.
    response.status(result.alreadySent ? 409 : 400).render('notification', {
      ...page,
      pageTitle: `Error: ${page.type}`,
      errors: result.errors,
      values: result.values,
    });
  }
}
