import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PlatformModule } from '@app/platform';

import { AUDIT_TABLES } from './audit.tables';
import { AuditorModule } from './auditor/auditor.module';
import { CheckpointsModule } from './checkpoints/checkpoints.module';
import { AuditEnv } from './config/audit.env';
import { TrailModule } from './trail/trail.module';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: {
        name: 'audit',
        description:
          'Appends every audit event to a hash-chained trail; auditors query, verify and export it.',
      },
      env: AuditEnv,
      tables: AUDIT_TABLES,
    }),
    ScheduleModule.forRoot(),
    TrailModule,
    CheckpointsModule,
    AuditorModule,
  ],
})
export class AppModule {}
