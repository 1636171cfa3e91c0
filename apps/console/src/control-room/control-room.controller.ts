import { Get, Render } from '@nestjs/common';

import {
  BackgroundRefresh,
  ConsolePages,
  CurrentSession,
  NeedsRole,
} from '../pages/console-page.decorators';
import { ActiveSession } from '../session/console-sessions.service';
import { ControlRoomBoards } from './control-room.service';

/**
 * The police control room: the force's incidents and missing episodes with each recipient's
 * standing. The board is server-rendered; control-room.js fetches `latest` (the board alone)
 * every few seconds and swaps it in, and without JavaScript the page's Refresh link reloads it.
 */
@ConsolePages('control-room')
@NeedsRole('agency-system')
export class ControlRoomController {
  constructor(private readonly boards: ControlRoomBoards) {}

  @Get()
  @Render('control-room')
  async page(@CurrentSession() session: ActiveSession) {
    return {
      pageTitle: 'Control room',
      navActive: 'control-room',
      ...(await this.boards.of(session)),
    };
  }

  @Get('latest')
  @BackgroundRefresh('/control-room')
  @Render('control-room-latest')
  latest(@CurrentSession() session: ActiveSession) {
    return this.boards.of(session);
  }
}
