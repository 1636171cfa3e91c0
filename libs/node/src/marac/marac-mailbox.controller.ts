import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MaracResearchForm, RequestExamples } from '@app/contracts';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { MaracActionProgressDto } from './dto/marac-action-progress.dto';
import { MaracMailboxWork, MaracReads } from './marac-reads.service';
import { RespondToMaracRequestUseCase, SentResearch } from './respond-to-marac-request.usecase';
import { MaracActionState, UpdateMaracActionUseCase } from './update-marac-action.usecase';

/**
 * A member mailbox's MARAC work (role mailbox-user; the global guard refuses a token not bound
 * to the route's :mailboxId): the requests and actions delivered to it (their content is read
 * as the mailbox's notifications), the research answer and action progress, each a signed
 * message through the hub to the MARAC.
 */
@ApiTags('marac')
@Controller('mailboxes/:mailboxId/marac')
export class MaracMailboxController {
  constructor(
    private readonly reads: MaracReads,
    private readonly respond: RespondToMaracRequestUseCase,
    private readonly actions: UpdateMaracActionUseCase,
  ) {}

  @Get()
  @Authorize('mailbox-user')
  @ApiOperation({ summary: "The mailbox's MARAC requests and actions: ids, due times, state" })
  work(@Param('mailboxId') mailboxId: string): Promise<MaracMailboxWork> {
    return this.reads.mailbox(mailboxId);
  }

  @Post('requests/:requestId/response')
  @ApiBody({ type: MaracResearchForm, examples: RequestExamples.maracResearch })
  @HttpCode(202)
  @Authorize('mailbox-user')
  @ApiOperation({
    summary: 'Answer a MARAC information request with the research form (facts apart from opinion)',
  })
  answer(
    @Param('mailboxId') mailboxId: string,
    @Param('requestId', new ParseUUIDPipe()) requestId: string,
    @Body() form: MaracResearchForm,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SentResearch> {
    return this.respond.execute(mailboxId, requestId, form, principal.subject);
  }

  @Post('actions/:actionId/acknowledge')
  @HttpCode(202)
  @Authorize('mailbox-user')
  @ApiOperation({ summary: 'Acknowledge a MARAC action owned by this mailbox' })
  acknowledge(
    @Param('mailboxId') mailboxId: string,
    @Param('actionId', new ParseUUIDPipe()) actionId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MaracActionState> {
    return this.actions.acknowledge(mailboxId, actionId, principal.subject);
  }

  @Post('actions/:actionId/updates')
  @ApiBody({ type: MaracActionProgressDto, examples: RequestExamples.maracActionProgress })
  @HttpCode(202)
  @Authorize('mailbox-user')
  @ApiOperation({ summary: 'Report progress on a MARAC action; 409 once it is completed' })
  update(
    @Param('mailboxId') mailboxId: string,
    @Param('actionId', new ParseUUIDPipe()) actionId: string,
    @Body() progress: MaracActionProgressDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MaracActionState> {
    return this.actions.progress(
      mailboxId,
      actionId,
      progress.status,
      progress.note,
      principal.subject,
    );
  }
}
