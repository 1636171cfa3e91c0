import { Module } from '@nestjs/common';
import { NodeAppModule } from '@app/node';

import { HealthEnv } from './config/health-adapter.env';
import { HEALTH_IDENTITY } from './health-adapter.identity';

@Module({
  imports: [NodeAppModule.forRoot({ identity: HEALTH_IDENTITY, env: HealthEnv })],
})
export class AppModule {}
