import { Get, Param, Query, Res } from '@nestjs/common';
import { Response } from 'express';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { ActiveSession } from '../session/console-sessions.service';
import { BoardQuery } from './board-period';
import { PartnershipBoard } from './partnership-board.service';

/**
 * The partnership board: how well the partnership shares, from the trail itself. The charts are
 * SVG drawn on the server, so the page needs no JavaScript; its filters are a GET form.
 */
@ConsolePages('partnership')
@NeedsRole('auditor', 'admin')
export class PartnershipBoardController {
  constructor(private readonly board: PartnershipBoard) {}

  @Get()
  async page(
    @CurrentSession() session: ActiveSession,
    @Query() query: BoardQuery,
    @Res() response: Response,
  ): Promise<void> {
    const page = await this.board.page(session, query);
    const failed = page.period.errors.summary.length > 0;
    response.status(failed ? 400 : 200).render('partnership-board', {
      pageTitle: `${failed ? 'Error: ' : ''}Partnership board`,
      navActive: 'partnership',
      ...page,
    });
  }

  @Get(':figure.csv')
  async csv(
    @CurrentSession() session: ActiveSession,
    @Param('figure') figure: string,
    @Query() query: BoardQuery,
    @Res() response: Response,
  ): Promise<void> {
    const { filename, body } = await this.board.csv(session, figure, query);
    response.type('text/csv; charset=utf-8').attachment(filename).send(body);
  }
}
