import { Module } from '@nestjs/common';
import { DevIssuerModule, PlatformModule } from '@app/platform';
import { RegistryModule } from '@app/registry';

import { HubEnv } from './config/hub.env';
import { HUB_TABLES } from './hub.tables';

@Module({
  imports: [
    PlatformModule.forRoot({
      service: {
        name: 'hub',
        description:
          'Verifies submissions, applies the sharing policy, minimises, countersigns and encrypts per recipient, routes, and tracks deadlines.',
      },
      env: HubEnv,
      tables: HUB_TABLES,
    }),
    RegistryModule,
    DevIssuerModule.register(),
  ],
})
export class AppModule {}
