import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { DataSource } from 'typeorm';

const RELISTEN_DELAY_MS = 1_000;

/** What a listener tells its owner. */
export interface ChannelEvents {
  /** A transaction that notified the channel committed (payload as sent). */
  onNotification(payload: string | undefined): void;
  /** LISTEN took effect (again): whatever committed before it notified nobody here. */
  onListening?(): void;
  /** The connection is gone: notifications may be missed until `onListening` again. */
  onLost?(): void;
}

/** A channel name scoped to the DataSource's schema: services share one database. */
export function schemaChannel(dataSource: DataSource, prefix: string): string {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  return `${prefix}_${schema}`;
}

/** The DataSource's own connection settings, for the one connection that only listens. */
function listenerConnection(dataSource: DataSource, purpose: string): ClientConfig {
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
    application_name: `${options.schema ?? 'public'}-${purpose}-listener`,
    connectionTimeoutMillis: 5_000,
    // A connection that died without a word is noticed, and LISTEN taken up again.
    keepAlive: true,
  };
}

/**
 * Holds one connection (its own, beside the service's pool) in LISTEN on a channel. PostgreSQL
 * delivers a NOTIFY only at commit, so a rolled-back write notifies nobody. It starts once the
 * service's DataSource is connected; a lost connection is reported and listened again after a
 * second.
 */
export class PostgresChannelListener {
  private readonly logger: Logger;
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly events: ChannelEvents,
    private readonly purpose: string,
  ) {
    this.logger = new Logger(`${purpose} listener`);
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    // The service connects its DataSource after HTTP is up (DatabaseConnector): wait for it.
    if (!this.dataSource.isInitialized) {
      this.later();
      return;
    }
    try {
      // Its own connection, not one of the pool's: a pool that ends waits for the clients it lent.
      const client = new Client(listenerConnection(this.dataSource, this.purpose));
      this.client = client;
      client.on('error', (error) => this.lost(error));
      client.on('end', () => this.lost(new Error('connection ended')));
      await client.connect();
      client.on('notification', (message) => this.events.onNotification(message.payload));
      await client.query(`LISTEN "${this.channel}"`);
      this.events.onListening?.();
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
    this.events.onLost?.();
    if (this.stopped || this.retry) return;
    this.logger.warn(`LISTEN connection lost; listening again shortly: ${error.message}`);
    this.later();
  }

  private later(): void {
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
