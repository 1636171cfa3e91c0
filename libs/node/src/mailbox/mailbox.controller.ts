import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { AcknowledgeNotificationUseCase } from './acknowledge-notification.usecase';
import { MailboxItem, MailboxMessage, MailboxReads } from './mailbox-reads.service';

/**
 * A mailbox's notifications, for the people bound to it (role mailbox-user; the global guard
 * refuses a token not bound to the route's :mailboxId).
 */
@ApiTags('mailbox')
@Controller('mailboxes/:mailboxId/notifications')
export class MailboxController {
  constructor(
    private readonly reads: MailboxReads,
    private readonly acknowledge: AcknowledgeNotificationUseCase,
  ) {}

  @Get()
  @Authorize('mailbox-user')
  @ApiOperation({ summary: "The mailbox's notifications: ids, times and status, no content" })
  list(@Param('mailboxId') mailboxId: string): Promise<MailboxItem[]> {
    return this.reads.list(mailboxId);
  }

  @Get(':messageId')
  @Authorize('mailbox-user')
  @ApiOperation({
    summary: 'One notification, decrypted: the view the hub signed for this mailbox',
  })
  read(
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
  ): Promise<MailboxMessage> {
    return this.reads.read(mailboxId, messageId);
  }

  @Post(':messageId/acknowledge')
  @HttpCode(200)
  @Authorize('mailbox-user')
  @ApiOperation({ summary: 'Acknowledge a notification; a signed receipt goes to the sender' })
  ack(
    @Param('mailboxId') mailboxId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MailboxItem> {
    return this.acknowledge.execute(mailboxId, messageId, principal.subject);
  }
}
