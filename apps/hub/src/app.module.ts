import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { DevIssuerModule, PlatformModule } from '@app/platform';
import { RegistryModule } from '@app/registry';
import { RetentionModule } from '@app/retention';

import { HubEnv } from './config/hub.env';
import { AdminModule } from './admin/admin.module';
import { ExchangeModule } from './exchange/exchange.module';
import { HUB_TABLES } from './hub.tables';
import { JwksModule } from './jwks/jwks.module';
import { ReplayModule } from './replay/replay.module';
import { DeliveryRetentionStore } from './retention/delivery-retention.store';
import { VerificationModule } from './verification/verification.module';

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
    ScheduleModule.forRoot(),
    RegistryModule,
    DevIssuerModule.register(),
    ReplayModule,
    VerificationModule,
    JwksModule,
    ExchangeModule,
    AdminModule,
    RetentionModule.forStores({ stores: [DeliveryRetentionStore], actor: 'hub' }),
  ],
})
export class AppModule {}
