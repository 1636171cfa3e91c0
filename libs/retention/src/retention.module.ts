import { DynamicModule, Module, Type } from '@nestjs/common';
import { OutboxModule } from '@app/messaging';

import { RetentionPurgeJob } from './retention-purge.job';
import { RetentionPurger } from './retention-purger.service';
import { RETENTION_ACTOR, RETENTION_STORES, RetentionStore } from './retention-store';

export interface RetentionOptions {
  /** The stores the service owns, one per rule. */
  stores: Type<RetentionStore>[];
  /** The `purged` events' actor: the service's signing identity (its node id, `hub`). */
  actor: string;
}

/** The scheduled retention purge of a service that owns stores of personal data. */
@Module({})
export class RetentionModule {
  static forStores(options: RetentionOptions): DynamicModule {
    return {
      module: RetentionModule,
      imports: [OutboxModule],
      providers: [
        ...options.stores,
        {
          provide: RETENTION_STORES,
          useFactory: (...stores: RetentionStore[]) => stores,
          inject: options.stores,
        },
        { provide: RETENTION_ACTOR, useValue: options.actor },
        RetentionPurger,
        RetentionPurgeJob,
      ],
      exports: [RetentionPurger],
    };
  }
}
