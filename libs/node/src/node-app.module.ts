import { DynamicModule, Module, Type } from '@nestjs/common';
import { BaseServiceEnv, PlatformModule } from '@app/platform';
import { ServicePersistence } from '@app/persistence';
import { RetentionStore } from '@app/retention';

import { NodeIdentity } from './identity/node-identity';
import { NodeDeliveryHandler } from './inbox/delivery-handler';
import { NODE_TABLES, NodeModule } from './node.module';

export interface NodeAppOptions<E extends BaseServiceEnv> {
  identity: NodeIdentity;
  /** The app's name in logs and metrics; defaults to `<nodeId>-adapter`. */
  serviceName?: string;
  env: Type<E>;
  /** Tables specific to this agency, added after the inbox every node has. */
  tables?: Omit<ServicePersistence, 'schema'>;
  /** What the agency does with a verified delivery besides filing it (see NodeDeliveryHandler). */
  deliveryHandler?: Type<NodeDeliveryHandler>;
  /** The agency's own feature modules; the delivery handler may use what they export. */
  imports?: DynamicModule['imports'];
  /** Retention stores of the agency's own tables, purged beside the inbox (libs/retention). */
  retentionStores?: Type<RetentionStore>[];
}

/** The root of an adapter app: the platform (config, logs, database, Kafka, health) plus the node. */
@Module({})
export class NodeAppModule {
  static forRoot<E extends BaseServiceEnv>(options: NodeAppOptions<E>): DynamicModule {
    const extra = options.tables;
    return {
      module: NodeAppModule,
      imports: [
        PlatformModule.forRoot({
          service: {
            name: options.serviceName ?? `${options.identity.nodeId}-adapter`,
            description: options.identity.description,
          },
          env: options.env,
          tables: {
            entities: [...NODE_TABLES.entities, ...(extra?.entities ?? [])],
            migrations: [...NODE_TABLES.migrations, ...(extra?.migrations ?? [])],
          },
        }),
        NodeModule.forRoot(
          options.identity,
          options.deliveryHandler,
          options.imports,
          options.retentionStores,
        ),
        ...(options.imports ?? []),
      ],
    };
  }
}
