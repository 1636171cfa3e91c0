import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { SignaturesModule } from '../signatures/signatures.module';
import { AuditEventConsumer } from './audit-event.consumer';
import { TrailQueryService } from './trail-query.service';

/** Consumes audit events into the chain and answers auditors' trail queries. */
@Module({
  imports: [ChainModule, SignaturesModule],
  controllers: [AuditEventConsumer],
  providers: [TrailQueryService],
  exports: [TrailQueryService],
})
export class TrailModule {}
