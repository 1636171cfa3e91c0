import { Module } from '@nestjs/common';

import { ChainModule } from '../chain/chain.module';
import { AuditEventConsumer } from './audit-event.consumer';
import { TrailQueryService } from './trail-query.service';

/** Consumes audit events into the chain and answers auditors' trail queries. */
@Module({
  imports: [ChainModule],
  controllers: [AuditEventConsumer],
  providers: [TrailQueryService],
  exports: [TrailQueryService],
})
export class TrailModule {}
