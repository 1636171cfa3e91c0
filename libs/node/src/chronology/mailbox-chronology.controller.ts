import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@app/platform';

import { MailboxThread, MailboxThreads } from '../mailbox/mailbox-threads.service';
import { ChildChronologies, ChildChronology } from './child-chronology.service';

/**
 * What a mailbox holds, grouped: an item's thread (a missing episode's reports) and the
 * chronology of the child an item is about. For the people bound to the mailbox (role
 * mailbox-user; the global guard refuses a token not bound to the route's :mailboxId).
 */
@ApiTags('mailbox')
@Controller('mailboxes/:mailboxId')
export class MailboxChronologyController {
  constructor(
    private readonly threads: MailboxThreads,
    private readonly chronologies: ChildChronologies,
  ) {}

  @Get('notifications/:messageId/thread')
  @Authorize('mailbox-user')
  @ApiOperation({
    summary:
      "Every delivery of the item's thread (a missing episode's reports), decrypted, oldest first",
  })
  thread(
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
  ): Promise<MailboxThread> {
    return this.threads.thread(mailboxId, messageId);
  }

  @Get('chronology/:itemId')
  @Authorize('mailbox-user')
  @ApiOperation({
    summary:
      'Everything the mailbox holds about the child an item (a message id or a referral id) is about, newest first',
  })
  chronology(
    @Param('mailboxId') mailboxId: string,
    @Param('itemId', new ParseUUIDPipe()) itemId: string,
  ): Promise<ChildChronology> {
    return this.chronologies.chronology(mailboxId, itemId);
  }
}
