import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditEventConsumer } from './audit-event.consumer';
import { AuditRecordEntity } from './audit-record.entity';
import { AuditTrailService } from './audit-trail.service';

@Module({
  imports: [TypeOrmModule.forFeature([AuditRecordEntity])],
  controllers: [AuditEventConsumer],
  providers: [AuditTrailService],
  exports: [AuditTrailService],
})
export class TrailModule {}
