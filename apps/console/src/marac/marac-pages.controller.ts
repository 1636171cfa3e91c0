import { Body, Get, Header, Param, Post, Query, Render, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { NO_ERRORS } from '../presentation/form-errors';
import { FormPost } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { MaracCasePages } from './marac-case-pages.service';
import { MaracMeetings } from './marac-meetings.service';

/**
 * The MARAC coordinator's pages: the meeting calendar, each meeting's agenda with its research
 * tracker, and each case's pack with its actions. The MARAC's API decides who may see them.
 */
@ConsolePages('marac')
@NeedsRole('marac-coordinator')
export class MaracPagesController {
  constructor(
    private readonly meetings: MaracMeetings,
    private readonly cases: MaracCasePages,
  ) {}

  @Get()
  @Render('marac-meetings')
  async calendar(@CurrentSession() session: ActiveSession) {
    return {
      pageTitle: 'MARAC meetings',
      navActive: 'marac',
      meetings: await this.meetings.calendar(session),
    };
  }

  @Get('meetings/:date')
  @Render('marac-meeting')
  async meeting(@CurrentSession() session: ActiveSession, @Param('date') date: string) {
    const agenda = await this.meetings.agenda(session, date);
    return { pageTitle: `MARAC meeting of ${agenda.title}`, navActive: 'marac', ...agenda };
  }

  @Get('cases/:caseId')
  @Render('marac-case')
  async case(
    @CurrentSession() session: ActiveSession,
    @Param('caseId') caseId: string,
    @Query('recorded') recorded?: string,
  ) {
    return {
      pageTitle: 'MARAC case',
      navActive: 'marac',
      ...(await this.cases.page(session, caseId)),
      values: this.cases.emptyForm(),
      errors: NO_ERRORS,
      recorded: recorded === '1',
    };
  }

  /** The MARAC's PDF of the pack, downloaded through the console with the person's token. */
  @Get('cases/:caseId/pack.pdf')
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  async pdf(
    @CurrentSession() session: ActiveSession,
    @Param('caseId') caseId: string,
    @Res() response: Response,
  ): Promise<void> {
    const pdf = await this.cases.pdf(session, caseId);
    response
      .status(200)
      .type('application/pdf')
      .setHeader('Content-Disposition', 'attachment; filename="marac-research-pack.pdf"')
      .send(pdf.body);
  }

  /** Sent: back to the case with its banner (post/redirect/get). Refused: 400, every problem named. */
  @Post('cases/:caseId/actions')
  async recordAction(
    @CurrentSession() session: ActiveSession,
    @Param('caseId') caseId: string,
    @Body() form: FormPost,
    @Res() response: Response,
  ): Promise<void> {
    const result = await this.cases.recordAction(session, caseId, form);
    if (result.recorded) {
      response.redirect(303, `/marac/cases/${caseId}?recorded=1#actions`);
      return;
    }
    response.status(400).render('marac-case', {
      pageTitle: 'Error: MARAC case',
      navActive: 'marac',
      ...(await this.cases.page(session, caseId)),
      values: result.values,
      errors: result.errors,
      recorded: false,
    });
  }
}
