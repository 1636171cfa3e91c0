import { Module } from '@nestjs/common';

import { PartnershipMetricsService } from './partnership-metrics.service';

@Module({
  providers: [PartnershipMetricsService],
  exports: [PartnershipMetricsService],
})
export class PartnershipModule {}
