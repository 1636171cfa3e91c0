import { Module } from '@nestjs/common';
import { MissingEpisodesModule, NodeAppModule } from '@app/node';

import { PoliceEnv } from './config/police-adapter.env';
import { IncidentsModule } from './incidents/incidents.module';
import { NotificationStatusHandler } from './incidents/notification-status.handler';
import { POLICE_IDENTITY } from './police-adapter.identity';
import { POLICE_TABLES } from './police.tables';

@Module({
  imports: [
    NodeAppModule.forRoot({
      identity: POLICE_IDENTITY,
      env: PoliceEnv,
      tables: POLICE_TABLES,
      deliveryHandler: NotificationStatusHandler,
      imports: [IncidentsModule, MissingEpisodesModule.register({ returnHomeInterviews: false })],
    }),
  ],
})
export class AppModule {}
