import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { NodeAppModule } from '@app/node';

import { MaracEnv } from './config/marac.env';
import { MARAC_IDENTITY } from './marac.identity';
import { MaracModule } from './marac.module';
import { MARAC_TABLES } from './marac.tables';

@Module({
  imports: [
    NodeAppModule.forRoot({
      identity: MARAC_IDENTITY,
      serviceName: 'marac',
      env: MaracEnv,
      tables: MARAC_TABLES,
    }),
    ScheduleModule.forRoot(),
    MaracModule,
  ],
})
export class AppModule {}
