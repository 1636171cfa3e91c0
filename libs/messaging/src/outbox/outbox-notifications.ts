import { PostgresChannelListener, schemaChannel } from '@app/persistence';
import { DataSource } from 'typeorm';

/**
 * The channel a service's outbox writers NOTIFY on commit: one per schema, because the services
 * share a database and a row in the hub's outbox means nothing to the police adapter's relay.
 */
export function outboxChannel(dataSource: DataSource): string {
  return schemaChannel(dataSource, 'sgx_outbox');
}

/**
 * Calls `onNotify` each time a transaction that wrote outbox rows commits — in this process or
 * in any other instance of the service — and each time its LISTEN takes effect, for what was
 * committed before. The relay's poll remains the fallback while the connection is lost.
 */
export class OutboxListener extends PostgresChannelListener {
  constructor(dataSource: DataSource, onNotify: () => void) {
    super(
      dataSource,
      outboxChannel(dataSource),
      { onNotification: onNotify, onListening: onNotify },
      'outbox',
    );
  }
}
