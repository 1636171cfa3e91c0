import { Module } from '@nestjs/common';

import { ExchangeModule } from '../exchange/exchange.module';
import { HubKeysModule } from '../keys/hub-keys.module';
import { AdminDeadLettersController } from './admin-dead-letters.controller';
import { AdminPolicyController } from './admin-policy.controller';
import { AdminRegistryController } from './admin-registry.controller';
import { DeadLetterAdminService } from './dead-letter-admin.service';
import { RegistryOverviewService } from './registry-overview.service';

/** What the administrator's console pages read from the hub, each endpoint for `admin` only. */
@Module({
  imports: [ExchangeModule, HubKeysModule],
  controllers: [AdminRegistryController, AdminPolicyController, AdminDeadLettersController],
  providers: [RegistryOverviewService, DeadLetterAdminService],
})
export class AdminModule {}
