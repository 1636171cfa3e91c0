import { Body, Controller, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { MaracReferralDetails, RequestExamples } from '@app/contracts';
import { Authorize } from '@app/platform';

import { CaseQueries, RefusedReferral } from '../cases/case-queries.service';
import { MaracExceptionFilter } from '../errors/marac-exception.filter';
import { ReferralAccepted, SubmitReferralUseCase } from './submit-referral.usecase';

/**
 * Agencies refer through their node (a signed `marac-referral` through the hub). Here the
 * coordinator enters a referral that came another way (by phone, or from an agency without a
 * node yet), and sees the referrals that arrived through the hub but could not be listed.
 */
@ApiTags('marac')
@Controller('referrals')
@UseFilters(MaracExceptionFilter)
export class ReferralsController {
  constructor(
    private readonly submitReferral: SubmitReferralUseCase,
    private readonly cases: CaseQueries,
  ) {}

  @Post()
  @ApiBody({ type: MaracReferralDetails, examples: RequestExamples.maracReferralDetails })
  @HttpCode(201)
  @Authorize('marac-coordinator')
  submit(@Body() referral: MaracReferralDetails): Promise<ReferralAccepted> {
    return this.submitReferral.execute(referral);
  }

  /** Referrals from the hub the MARAC refused (e.g. a claimed repeat without history). */
  @Get('refused')
  @Authorize('marac-coordinator')
  refused(): Promise<RefusedReferral[]> {
    return this.cases.refusedReferrals();
  }
}
