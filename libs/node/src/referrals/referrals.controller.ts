import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { RequestExamples } from '@app/contracts';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { RecordOutcomeDto } from './dto/record-outcome.dto';
import { ReferralSubmissionDto } from './dto/referral-submission.dto';
import { ReceivedReferralDecision, ReceivedReferralReads } from './received-referral-reads.service';
import { RecordedOutcome, RecordOutcomeUseCase } from './record-outcome.usecase';
import { ReferralReads, ReferralSummary } from './referral-reads.service';
import { SubmittedReferral, SubmitReferralUseCase } from './submit-referral.usecase';

/**
 * Referrals of a mailbox (role mailbox-user; the global guard refuses a token not bound to the
 * route's :mailboxId): refer a child to the MASH, follow one's referrals, and, for the MASH,
 * send the outcome of a referral it received.
 */
@ApiTags('referrals')
@Controller('mailboxes/:mailboxId/referrals')
export class ReferralsController {
  constructor(
    private readonly submit: SubmitReferralUseCase,
    private readonly reads: ReferralReads,
    private readonly outcomes: RecordOutcomeUseCase,
    private readonly received: ReceivedReferralReads,
  ) {}

  @Post()
  @HttpCode(202)
  @Authorize('mailbox-user')
  @ApiOperation({
    summary:
      'Refer a child to the MASH; 400 lists missing required fields; answers the completeness score',
  })
  // The body is read as is (missing fields are named before the contract is checked), so the
  // contract it must meet is named here for the document.
  @ApiBody({ type: ReferralSubmissionDto, examples: RequestExamples.referral })
  create(
    @Param('mailboxId') mailboxId: string,
    // Checked by the use case: missing required fields first (named together), then the contract.
    @Body() body: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmittedReferral> {
    return this.submit.execute(mailboxId, body, principal.subject);
  }

  @Get()
  @Authorize('mailbox-user')
  @ApiOperation({ summary: "The mailbox's referrals with their status and outcome" })
  list(@Param('mailboxId') mailboxId: string): Promise<ReferralSummary[]> {
    return this.reads.list(mailboxId);
  }

  @Get(':referralId/outcome')
  @Authorize('mailbox-user')
  @ApiOperation({
    summary:
      'For the MASH: the decision and next steps it sent on a referral it received (null until sent)',
  })
  decision(
    @Param('mailboxId') mailboxId: string,
    @Param('referralId', new ParseUUIDPipe()) referralId: string,
  ): Promise<ReceivedReferralDecision> {
    return this.received.decision(mailboxId, referralId);
  }

  @Post(':referralId/outcome')
  @ApiBody({ type: RecordOutcomeDto, examples: RequestExamples.referralOutcome })
  @HttpCode(202)
  @Authorize('mailbox-user')
  @ApiOperation({ summary: 'The MASH sends its decision on a referral it received' })
  outcome(
    @Param('mailboxId') mailboxId: string,
    @Param('referralId', new ParseUUIDPipe()) referralId: string,
    @Body() dto: RecordOutcomeDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RecordedOutcome> {
    return this.outcomes.execute(mailboxId, referralId, dto, principal.subject);
  }
}
