import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { CheckpointsModule } from '../checkpoints/checkpoints.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { TrailExportService } from './trail-export.service';

@Module({
  imports: [ChainModule, CheckpointsModule, SignaturesModule],
  providers: [TrailExportService],
  exports: [TrailExportService],
})
export class ExportModule {}
