import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { CheckpointScheduler } from './checkpoint-scheduler.service';
import {
  CHECKPOINT_SIGNING_KEY,
  checkpointSigningKeyProvider,
} from './checkpoint-signing-key.provider';
import { CheckpointService } from './checkpoint.service';
import { JwksController } from './jwks.controller';

/** Signed checkpoints of the chain's head, on a timer and on demand, and the key's JWKS. */
@Module({
  imports: [ChainModule],
  controllers: [JwksController],
  providers: [checkpointSigningKeyProvider, CheckpointService, CheckpointScheduler],
  exports: [CheckpointService, CHECKPOINT_SIGNING_KEY],
})
export class CheckpointsModule {}
