import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { CheckpointsModule } from '../checkpoints/checkpoints.module';
import { TrailExportService } from './trail-export.service';

@Module({
  imports: [ChainModule, CheckpointsModule],
  providers: [TrailExportService],
  exports: [TrailExportService],
})
export class ExportModule {}
