import { Body, Get, HttpCode, Param, Post, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { FormPost } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { ReferralForms } from './referral-form.service';

/** Making a referral to the MASH: the form, its live completeness score, and sending it. */
@ConsolePages('mailboxes/:mailboxId/referrals/new')
@NeedsRole('mailbox-user')
export class ReferralFormController {
  constructor(private readonly forms: ReferralForms) {}

  @Get()
  @Render('referral-form')
  form(@CurrentSession() session: ActiveSession, @Param('mailboxId') mailboxId: string) {
    return { pageTitle: 'Make a referral', ...this.forms.blank(session, mailboxId) };
  }

  /** JSON for the page's script (a form post with the session's CSRF token, like the form). */
  @Post('quality')
  @HttpCode(200)
  quality(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Body() form: FormPost,
  ) {
    return this.forms.quality(session, mailboxId, form);
  }

  @Post()
  async send(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Body() form: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const result = await this.forms.submit(session, mailboxId, form);
    if (result.sent) {
      response.redirect(
        303,
        `/mailboxes/${encodeURIComponent(mailboxId)}/referrals?sent=${result.completeness}`,
      );
      return;
    }
    response
      .status(400)
      .render('referral-form', { pageTitle: 'Error: Make a referral', ...result });
  }
}
