import { Module } from '@nestjs/common';
import { PlatformModule } from '@app/platform';

import { AUDIT_TABLES } from './audit.tables';
import { AuditEnv } from './config/audit.env';
import { TrailModule } from './trail/trail.module';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: {
        name: 'audit',
        description: 'Appends every audit event to the trail; auditors query and verify it.',
      },
      env: AuditEnv,
      tables: AUDIT_TABLES,
    }),
    TrailModule,
  ],
})
export class AppModule {}
