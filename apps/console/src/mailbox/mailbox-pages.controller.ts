import { Get, Param, ParseUUIDPipe, Post, Query, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { ActiveSession } from '../session/console-sessions.service';
import { MailboxPages, notificationPath } from './mailbox-pages.service';

/** A mailbox's inbox, one notification, and acknowledging it: for the people bound to it. */
@ConsolePages('mailboxes/:mailboxId')
@NeedsRole('mailbox-user')
export class MailboxPagesController {
  constructor(private readonly pages: MailboxPages) {}

  @Get()
  @Render('mailbox')
  async inbox(@CurrentSession() session: ActiveSession, @Param('mailboxId') mailboxId: string) {
    return { pageTitle: 'Inbox', ...(await this.pages.list(session, mailboxId)) };
  }

  @Get('notifications/:messageId')
  @Render('notification')
  async notification(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Query('acknowledged') acknowledged?: string,
    @Query('decided') decided?: string,
    @Query('interview') interview?: string,
  ) {
    const page = await this.pages.read(session, mailboxId, messageId);
    return {
      pageTitle: page.type,
      justAcknowledged: acknowledged === '1',
      justDecided: decided === '1',
      justRecordedInterview: interview === '1',
      ...page,
    };
  }

  @Post('notifications/:messageId/acknowledge')
  async acknowledge(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Res() response: Response,
  ): Promise<void> {
    await this.pages.acknowledge(session, mailboxId, messageId);
    // Post/redirect/get: a refresh never acknowledges twice.
    response.redirect(303, `${notificationPath(mailboxId, messageId)}?acknowledged=1`);
  }
}
