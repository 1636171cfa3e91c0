import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { NodeAppModule } from '@app/node';

import { MaracEnv } from './config/marac.env';
import { MaracDeliveryHandler } from './inbound/marac-delivery.handler';
import { MARAC_IDENTITY } from './marac.identity';
import { MaracModule } from './marac.module';
import { MARAC_TABLES } from './marac.tables';
import { ResearchRetentionStore } from './retention/research-retention.store';

@Module({
  imports: [
    NodeAppModule.forRoot({
      identity: MARAC_IDENTITY,
      serviceName: 'marac',
      env: MaracEnv,
      tables: MARAC_TABLES,
      deliveryHandler: MaracDeliveryHandler,
      imports: [MaracModule],
      retentionStores: [ResearchRetentionStore],
    }),
    ScheduleModule.forRoot(),
  ],
})
export class AppModule {}
