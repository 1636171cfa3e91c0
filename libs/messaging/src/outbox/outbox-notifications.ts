import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The channel a service's outbox writers NOTIFY on commit: one per schema, because the services
 * share a database and a row in the hub's outbox means nothing to the police adapter's relay.
 */
export function outboxChannel(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
  return `sgx_outbox_${schema}`;
}

interface ListeningClient {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
}

const RELISTEN_DELAY_MS = 1_000;

/**
 * Holds one connection of the service's pool in LISTEN on its outbox channel and calls `onNotify`
 * each time a transaction that wrote outbox rows commits — in this process or in any other
 * instance of the service. PostgreSQL delivers a NOTIFY only at commit, so a rolled-back write
 * wakes nobody. It starts once the service's DataSource is connected, and calls `onNotify` each
 * time its LISTEN takes effect, for what was committed before; a lost connection is listened
 * again after a second. The relay's poll remains the fallback.
 */
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client: ListeningClient | null = null;
  private release: ((error?: Error) => void) | null = null;
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
      const [client, release] = (await this.dataSource.driver.obtainMasterConnection()) as [
        ListeningClient,
        (error?: Error) => void,
      ];
      this.client = client;
      this.release = release;
      client.on('notification', () => this.onNotify());
      client.on('error', (error) => this.lost(error));
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
    if (!client) return;
    await client.query('UNLISTEN *').catch(() => undefined);
    this.drop();
  }

  private lost(error: Error): void {
    this.drop(error);
    if (this.stopped || this.retry) return;
    this.logger.warn(`outbox LISTEN connection lost; listening again shortly: ${error.message}`);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.start();
    }, RELISTEN_DELAY_MS);
  }

  private drop(error?: Error): void {
    this.client?.removeAllListeners();
    // Handing back the error makes the pool discard the connection instead of reusing it.
    this.release?.(error);
    this.client = null;
    this.release = null;
  }
}
