import { Body, Controller, ForbiddenException, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MaracReferralSubmission, RequestExamples } from '@app/contracts';
import { assertActsFor, Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { MaracReads } from './marac-reads.service';
import { MaracReferralSummary } from './marac-sent-status';
import {
  SubmitMaracReferralUseCase,
  SubmittedMaracReferral,
} from './submit-marac-referral.usecase';

/**
 * MARAC referrals from an agency's system (role agency-system): the system may refer only for
 * the agency in its token, names the node's mailbox that hears the MARAC's decision (the hub
 * refuses another node's), and sees only that agency's referrals with what became of them.
 */
@ApiTags('marac')
@Controller('marac/referrals')
export class MaracReferralsController {
  constructor(
    private readonly submit: SubmitMaracReferralUseCase,
    private readonly reads: MaracReads,
  ) {}

  @Post()
  @ApiBody({ type: MaracReferralSubmission, examples: RequestExamples.maracReferralSubmission })
  @HttpCode(202)
  @Authorize('agency-system')
  @ApiOperation({
    summary: "Refer a victim to the area's MARAC; 400 names the DASH or criterion rule that fails",
  })
  create(
    @Body() referral: MaracReferralSubmission,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmittedMaracReferral> {
    assertActsFor(principal, referral.referringAgencyId);
    return this.submit.execute(referral, principal.subject);
  }

  @Get()
  @Authorize('agency-system')
  @ApiOperation({
    summary:
      "The agency's MARAC referrals: sent, delivered, listed (with the meeting) or refused (with the reason)",
  })
  list(@CurrentPrincipal() principal: Principal): Promise<MaracReferralSummary[]> {
    if (!principal.agencyId) throw new ForbiddenException('forbidden');
    return this.reads.referrals(principal.agencyId);
  }
}
