import { Get, Param, ParseUUIDPipe, Render } from '@nestjs/common';

import { ConsolePages, CurrentSession, NeedsRole } from '../pages/console-page.decorators';
import { ActiveSession } from '../session/console-sessions.service';
import { ChildChronologyPages } from './child-chronology-pages.service';

/** Per child, one chronology of what the mailbox holds, asked for by any item about her. */
@ConsolePages('mailboxes/:mailboxId/chronology')
@NeedsRole('mailbox-user')
export class ChronologyPageController {
  constructor(private readonly chronologies: ChildChronologyPages) {}

  @Get(':itemId')
  @Render('chronology')
  async chronology(
    @CurrentSession() session: ActiveSession,
    @Param('mailboxId') mailboxId: string,
    @Param('itemId', new ParseUUIDPipe()) itemId: string,
  ) {
    // The title names no one: it shows in tab bars, history and screen shares.
    return {
      pageTitle: 'Chronology',
      ...(await this.chronologies.page(session, mailboxId, itemId)),
    };
  }
}
