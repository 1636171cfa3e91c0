import { Module } from '@nestjs/common';
import { NodeAppModule } from '@app/node';

import { MaracEnv } from './config/marac.env';
import { MARAC_IDENTITY } from './marac.identity';

@Module({
  imports: [
    NodeAppModule.forRoot({ identity: MARAC_IDENTITY, serviceName: 'marac', env: MaracEnv }),
  ],
})
export class AppModule {}
