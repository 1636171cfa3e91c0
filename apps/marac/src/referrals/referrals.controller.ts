import { Body, Controller, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertActsFor, Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { MaracExceptionFilter } from '../errors/marac-exception.filter';
import { SubmitReferralDto } from './submit-referral.dto';
import { ReferralAccepted, SubmitReferralUseCase } from './submit-referral.usecase';

@ApiTags('marac')
@Controller('referrals')
@UseFilters(MaracExceptionFilter)
export class ReferralsController {
  constructor(private readonly submitReferral: SubmitReferralUseCase) {}

  /** A MARAC referral from an agency's system or entered by the coordinator. */
  @Post()
  @HttpCode(201)
  @Authorize('agency-system', 'marac-coordinator')
  submit(
    @Body() referral: SubmitReferralDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ReferralAccepted> {
    assertActsFor(principal, referral.referringAgencyId);
    return this.submitReferral.execute(referral);
  }
}
