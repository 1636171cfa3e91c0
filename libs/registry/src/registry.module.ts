import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AgencyEntity } from './entities/agency.entity';
import { MailboxEntity } from './entities/mailbox.entity';
import { MaracMemberEntity } from './entities/marac-member.entity';
import { NodeKeyEntity } from './entities/node-key.entity';
import { NodeEntity } from './entities/node.entity';
import { NodeKeyCache } from './node-key-cache.service';
import { NodeKeyService } from './node-key.service';
import { RegistryService } from './registry.service';

export const REGISTRY_ENTITIES = [
  AgencyEntity,
  NodeEntity,
  MailboxEntity,
  NodeKeyEntity,
  MaracMemberEntity,
];

@Module({
  imports: [TypeOrmModule.forFeature(REGISTRY_ENTITIES)],
  providers: [RegistryService, NodeKeyService, NodeKeyCache],
  exports: [RegistryService, NodeKeyService],
})
export class RegistryModule {}
