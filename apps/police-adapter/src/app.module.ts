import { Module } from '@nestjs/common';
import { NodeAppModule } from '@app/node';

import { PoliceEnv } from './config/police-adapter.env';
import { POLICE_IDENTITY } from './police-adapter.identity';

@Module({
  imports: [NodeAppModule.forRoot({ identity: POLICE_IDENTITY, env: PoliceEnv })],
})
export class AppModule {}
