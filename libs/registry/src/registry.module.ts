import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AgencyEntity } from './entities/agency.entity';
import { MailboxEntity } from './entities/mailbox.entity';
import { NodeEntity } from './entities/node.entity';
import { RegistryService } from './registry.service';

export const REGISTRY_ENTITIES = [AgencyEntity, NodeEntity, MailboxEntity];

@Module({
  imports: [TypeOrmModule.forFeature(REGISTRY_ENTITIES)],
  providers: [RegistryService],
  exports: [RegistryService],
})
export class RegistryModule {}
