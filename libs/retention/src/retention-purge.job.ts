import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { describeError } from '@app/messaging';
import { BaseServiceEnv, SERVICE_ENV } from '@app/platform';
import { DataSource } from 'typeorm';

import { RetentionPurger } from './retention-purger.service';

/**
 * Runs the purge every RETENTION_PURGE_INTERVAL_MS (1 hour) in each instance. What is due is
 * read from the rows' own times in PostgreSQL, so a restart or a missed run loses nothing: the
 * next run purges what fell due meanwhile. A failed run is logged and retried at the next one.
 */
@Injectable()
export class RetentionPurgeJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPurgeJob.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly purger: RetentionPurger,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: BaseServiceEnv,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.RETENTION_PURGE_ENABLED !== 'true') return;
    this.timer = setInterval(() => void this.runOnce(), this.env.RETENTION_PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private runOnce(): Promise<void> {
    if (this.running || !this.dataSource.isInitialized) return this.running ?? Promise.resolve();
    this.running = (async () => {
      try {
        await this.purger.run();
      } catch (error) {
        this.logger.warn(`retention purge failed; the next run retries: ${describeError(error)}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
