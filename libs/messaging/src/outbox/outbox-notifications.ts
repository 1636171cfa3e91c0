import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';

/**
 * The channel a service's outbox writers NOTIFY on commit: one per schema, because the services
 * share a database and a row in the hub's outbox means nothing to the police adapter's relay.
 */
export function outboxChannel(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  return `sgx_outbox_${schema}`;
}

const RELISTEN_DELAY_MS = 1_000;

/** The DataSource's own connection settings, for the one connection that only listens. */
function listenerConnection(dataSource: DataSource): ClientConfig {
  const options = dataSource.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: unknown;
    database?: string;
    schema?: string;
  };
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    application_name: `${options.schema ?? 'public'}-outbox-listener`,
    connectionTimeoutMillis: 5_000,
  };
}

/**
 * Holds one connection (its own, beside the service's pool) in LISTEN on its outbox channel and calls `onNotify`
 * each time a transaction that wrote outbox rows commits — in this process or in any other
 * instance of the service. PostgreSQL delivers a NOTIFY only at commit, so a rolled-back write
 * wakes nobody. It starts once the service's DataSource is connected, and calls `onNotify` each
 * time its LISTEN takes effect, for what was committed before; a lost connection is listened
 * again after a second. The relay's poll remains the fallback.
 */
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly onNotify: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    // The service connects its DataSource after HTTP is up (DatabaseConnector): wait for it.
    if (!this.dataSource.isInitialized) {
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.start();
      }, RELISTEN_DELAY_MS);
      return;
    }
    try {
      // Its own connection, not one of the pool's: a pool that ends waits for the clients it lent.
      const client = new Client(listenerConnection(this.dataSource));
      this.client = client;
      client.on('error', (error) => this.lost(error));
      await client.connect();
      client.on('notification', () => this.onNotify());
      await client.query(`LISTEN "${outboxChannel(this.dataSource)}"`);
      // Whatever was committed before the LISTEN took effect woke nobody: catch up once.
      this.onNotify();
    } catch (error) {
      this.lost(error as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    client?.removeAllListeners();
    if (client) await endQuietly(client);
  }

  private lost(error: Error): void {
    this.drop();
    if (this.stopped || this.retry) return;
    this.logger.warn(`outbox LISTEN connection lost; listening again shortly: ${error.message}`);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RELISTEN_DELAY_MS);
  }

  private drop(): void {
    const client = this.client;
    this.client = null;
    client?.removeAllListeners();
    client?.on('error', () => undefined); // a late error of a connection already given up
    if (client) void endQuietly(client);
  }
}

/** Closes a connection without waiting more than a moment on one that is half gone. */
async function endQuietly(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, 2_000))),
  ]);
  clearTimeout(timer);
}
