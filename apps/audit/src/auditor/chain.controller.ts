import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { Authorize } from '@app/platform';

import { VerifyResult } from '../chain/chain-verifier.service';
import { Checkpoint } from '../checkpoints/checkpoint.service';
import { TrailExport } from '../export/trail-export.service';
import { AuditActor } from './audit-actor.decorator';
import { AuditExceptionFilter } from './audit-exception.filter';
import { AuditorReadsService } from './auditor-reads.service';
import { CheckpointsQuery } from './dto/checkpoints.query';
import { SeqRangeQuery } from './dto/seq-range.query';

/** Proving the trail (role: auditor): verify, signed checkpoints, offline-verifiable export. */
@Authorize('auditor')
@Controller('audit')
@UseFilters(AuditExceptionFilter)
export class ChainController {
  constructor(private readonly reads: AuditorReadsService) {}

  /** Recomputes the chain (all of it, or fromSeq..toSeq): ok, or the first bad row and why. */
  @Get('verify')
  verify(@AuditActor() actor: string, @Query() range: SeqRangeQuery): Promise<VerifyResult> {
    return this.reads.verify(actor, { fromSeq: range.fromSeq, toSeq: range.toSeq });
  }

  /** Rows fromSeq..toSeq with their hashes and a signed checkpoint of toSeq (docs/audit.md). */
  @Get('export')
  export(@AuditActor() actor: string, @Query() range: SeqRangeQuery): Promise<TrailExport> {
    return this.reads.export(actor, { fromSeq: range.fromSeq, toSeq: range.toSeq });
  }

  /** The newest signed checkpoints of the head. */
  @Get('checkpoints')
  checkpoints(
    @AuditActor() actor: string,
    @Query() query: CheckpointsQuery,
  ): Promise<Checkpoint[]> {
    return this.reads.checkpoints(actor, query.limit ?? 20);
  }
}
