import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@app/platform';

import { SubjectDisclosures } from '../disclosures/subject-disclosures.service';
import { AuditActor } from './audit-actor.decorator';
import { AuditExceptionFilter } from './audit-exception.filter';
import { AuditorReadsService } from './auditor-reads.service';
import { SubjectDisclosuresParams } from './dto/subject-disclosures.params';

/** Who has received data about a subject (role: auditor). Metadata from the trail only. */
@ApiTags('disclosures')
@Authorize('auditor')
@Controller('audit')
@UseFilters(AuditExceptionFilter)
export class DisclosuresController {
  constructor(private readonly reads: AuditorReadsService) {}

  @Get('subjects/:subjectRef/disclosures')
  @ApiOperation({
    summary:
      'Every disclosure of data about a subject (agency, mailbox, when, view, basis, acknowledged) and every decision not to share',
  })
  disclosures(
    @AuditActor() actor: string,
    @Param() params: SubjectDisclosuresParams,
  ): Promise<SubjectDisclosures> {
    return this.reads.disclosures(actor, params.subjectRef);
  }
}
