import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePersistence } from '@app/persistence';

import { NODE_IDENTITY, NodeIdentity } from './identity/node-identity';
import { NodeInfoController } from './identity/node-info.controller';
import { deliveryConsumerFor } from './inbox/delivery.consumer';
import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { InboxService } from './inbox/inbox.service';
import { CreateNodeInbox1764140000000 } from './migrations/1764140000000-create-node-inbox';

/** Tables every node schema has; an adapter adds its own after these. */
export const NODE_TABLES: Omit<ServicePersistence, 'schema'> = {
  entities: [InboxMessageEntity],
  migrations: [CreateNodeInbox1764140000000],
};

/**
 * What every adapter shares: its identity, its delivery consumer and inbox. An adapter app
 * imports this once with its identity and adds only what is specific to its agency.
 */
@Module({})
export class NodeModule {
  static forRoot(identity: NodeIdentity): DynamicModule {
    return {
      module: NodeModule,
      imports: [TypeOrmModule.forFeature([InboxMessageEntity])],
      controllers: [NodeInfoController, deliveryConsumerFor(identity.nodeId)],
      providers: [{ provide: NODE_IDENTITY, useValue: identity }, InboxService],
      exports: [NODE_IDENTITY, InboxService],
    };
  }
}
