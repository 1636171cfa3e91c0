import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequestExamples } from '@app/contracts';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { CorrectionReads, CorrectionSummary } from './correction-reads.service';
import { CorrectMessageUseCase, SubmittedCorrection } from './correct-message.usecase';
import { CorrectMessageDto } from './dto/correct-message.dto';

/**
 * The agency's system corrects a message this node sent (role agency-system), and follows
 * which mailboxes were sent the correction, in which role, and whether each acknowledged. The
 * same on every adapter.
 */
@ApiTags('corrections')
@Controller('corrections')
export class CorrectionsController {
  constructor(
    private readonly correct: CorrectMessageUseCase,
    private readonly reads: CorrectionReads,
  ) {}

  @Post()
  @HttpCode(202)
  @Authorize('agency-system')
  @ApiOperation({
    summary:
      'Correct (amend or withdraw) a message this node sent: every mailbox that holds it is sent the correction',
  })
  @ApiBody({ type: CorrectMessageDto, examples: RequestExamples.correction })
  @ApiAcceptedResponse({ description: "Accepted: the correction's message id" })
  @ApiBadRequestResponse({
    description:
      'Every invalid field is named (the corrected message against the original’s contract); nothing is sent',
  })
  @ApiNotFoundResponse({
    description: 'ORIGINAL_UNKNOWN: this node sent no correctable message with this id',
  })
  @ApiConflictResponse({ description: 'ORIGINAL_WITHDRAWN: the message was already withdrawn' })
  create(
    @Body() dto: CorrectMessageDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmittedCorrection> {
    return this.correct.execute(dto, principal.subject);
  }

  @Get(':messageId')
  @Authorize('agency-system')
  @ApiOperation({
    summary: 'Each mailbox sent a correction, in which role, and whether it acknowledged',
  })
  status(@Param('messageId', new ParseUUIDPipe()) messageId: string): Promise<CorrectionSummary> {
    return this.reads.find(messageId);
  }
}
