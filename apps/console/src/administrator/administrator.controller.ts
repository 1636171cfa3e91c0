import { Get, Param, Post, Query, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { PageNotFoundError } from '../pages/page-errors';
import { ActiveSession } from '../session/console-sessions.service';
import { AdministratorPages } from './administrator-pages.service';

const RECORD = /^\d{1,6}:\d{1,19}$/;

/** The administrator: the registry, node keys, dead letters with their re-drive, the policy. */
@ConsolePages('admin')
@NeedsRole('admin')
export class AdministratorController {
  constructor(private readonly pages: AdministratorPages) {}

  @Get()
  @Render('administrator')
  async page(@CurrentSession() session: ActiveSession, @Query('replayed') replayed?: string) {
    return {
      pageTitle: 'Administration',
      navActive: 'admin',
      replayed: typeof replayed === 'string' && RECORD.test(replayed) ? replayed : null,
      ...(await this.pages.page(session)),
    };
  }

  /** The re-drive button's form (CSRF-checked like every form); back to the page, saying so. */
  @Post('dead-letters/:record/replay')
  async replay(
    @CurrentSession() session: ActiveSession,
    @Param('record') record: string,
    @Res() response: Response,
  ): Promise<void> {
    if (!RECORD.test(record)) throw new PageNotFoundError();
    await this.pages.replay(session, record);
    response.redirect(303, `/admin?replayed=${encodeURIComponent(record)}#dead-letters`);
  }
}
