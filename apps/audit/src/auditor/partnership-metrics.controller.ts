import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { Authorize } from '@app/platform';

import { PartnershipMetrics } from '../partnership/partnership-metrics.service';
import { AuditActor } from './audit-actor.decorator';
import { AuditExceptionFilter } from './audit-exception.filter';
import { AuditorReadsService } from './auditor-reads.service';
import { MetricsQuery } from './dto/metrics.query';

/** Partnership metrics from the trail (roles: auditor, admin). */
@Authorize('auditor', 'admin')
@Controller('audit')
@UseFilters(AuditExceptionFilter)
export class PartnershipMetricsController {
  constructor(private readonly reads: AuditorReadsService) {}

  @Get('metrics')
  metrics(@AuditActor() actor: string, @Query() query: MetricsQuery): Promise<PartnershipMetrics> {
    return this.reads.partnershipMetrics(actor, query.from, query.to, {
      agency: query.agency,
      messageType: query.messageType,
      distribution: query.distribution === 'true',
    });
  }
}
