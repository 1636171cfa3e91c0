import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ReplayGuardService } from './replay-guard.service';
import { SeenJtiEntity } from './seen-jti.entity';
import { SeenJtiPurgeJob } from './seen-jti-purge.job';

@Module({
  imports: [TypeOrmModule.forFeature([SeenJtiEntity])],
  providers: [ReplayGuardService, SeenJtiPurgeJob],
  exports: [ReplayGuardService],
})
export class ReplayModule {}
