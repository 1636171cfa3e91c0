import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { CheckpointsModule } from '../checkpoints/checkpoints.module';
import { ExportModule } from '../export/export.module';
import { PartnershipModule } from '../partnership/partnership.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { TrailModule } from '../trail/trail.module';
import { SubjectDisclosuresService } from '../disclosures/subject-disclosures.service';
import { AuditorReadsService } from './auditor-reads.service';
import { ChainController } from './chain.controller';
import { DisclosuresController } from './disclosures.controller';
import { PartnershipMetricsController } from './partnership-metrics.controller';
import { TrailController } from './trail.controller';

/** The auditor API: every endpoint is one audited read (AuditorReadsService). */
@Module({
  imports: [
    ChainModule,
    TrailModule,
    CheckpointsModule,
    ExportModule,
    PartnershipModule,
    SignaturesModule,
  ],
  controllers: [
    TrailController,
    ChainController,
    PartnershipMetricsController,
    DisclosuresController,
  ],
  providers: [AuditorReadsService, SubjectDisclosuresService],
})
export class AuditorModule {}
