import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequestExamples } from '@app/contracts';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import {
  ConsentWithdrawalReads,
  ConsentWithdrawalSummary,
} from './consent-withdrawal-reads.service';
import { WithdrawConsentDto } from './dto/withdraw-consent.dto';
import { SubmittedWithdrawal, WithdrawConsentUseCase } from './withdraw-consent.usecase';

/**
 * The agency's system reports that consent was withdrawn (role agency-system), and follows which
 * mailboxes were told and whether each acknowledged. The same on every adapter.
 */
@ApiTags('consent')
@Controller('consent-withdrawals')
export class ConsentWithdrawalsController {
  constructor(
    private readonly withdraw: WithdrawConsentUseCase,
    private readonly reads: ConsentWithdrawalReads,
  ) {}

  @Post()
  @ApiBody({ type: WithdrawConsentDto, examples: RequestExamples.consentWithdrawal })
  @HttpCode(202)
  @Authorize('agency-system')
  @ApiOperation({
    summary:
      'Consent about a subject was withdrawn: every mailbox that received its data from this node under consent is told',
  })
  @ApiAcceptedResponse({ description: "Accepted: the withdrawal's message id" })
  @ApiBadRequestResponse({ description: 'Every invalid field is named; nothing is sent' })
  create(
    @Body() dto: WithdrawConsentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmittedWithdrawal> {
    return this.withdraw.execute(dto, principal.subject);
  }

  @Get(':messageId')
  @Authorize('agency-system')
  @ApiOperation({ summary: 'Each mailbox told of a withdrawal, and whether it acknowledged' })
  status(
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
  ): Promise<ConsentWithdrawalSummary> {
    return this.reads.find(messageId);
  }
}
