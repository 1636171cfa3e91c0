import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { OUTBOX_SETTINGS, OutboxSettings } from './outbox-relay.service';

const DEFAULT_RETENTION_HOURS = 24;
const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;
/** Rows per DELETE, so one cleanup never holds a long lock on a busy outbox. */
const DELETE_BATCH = 5_000;

/**
 * Deletes sent outbox rows older than OUTBOX_RETENTION_HOURS (24), every 10 minutes. Their value
 * was cleared when they were sent; the rest (topic, key, headers, times) is kept a while for
 * operators tracing a record, then goes, so the table does not grow for ever. Unsent rows are
 * never touched.
 */
@Injectable()
export class OutboxRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRetention.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(OUTBOX_SETTINGS) private readonly settings: OutboxSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runSafely(), CLEANUP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes every sent row older than the retention; returns how many. */
  async deleteExpired(): Promise<number> {
    const hours = this.settings.retentionHours ?? DEFAULT_RETENTION_HOURS;
    let total = 0;
    for (;;) {
      const result: unknown = await this.dataSource.query(
        `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox
            WHERE sent_at IS NOT NULL AND sent_at < now() - make_interval(hours => $1)
            LIMIT $2) RETURNING id`,
        [hours, DELETE_BATCH],
      );
      const rows = (
        Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result
      ) as unknown[];
      total += rows.length;
      if (rows.length < DELETE_BATCH) return total;
    }
  }

  private async runSafely(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    try {
      const deleted = await this.deleteExpired();
      if (deleted > 0) this.logger.log(`deleted ${deleted} sent outbox rows past retention`);
    } catch (error) {
      this.logger.warn(
        `outbox retention cleanup failed; next run retries: ${(error as Error).message}`,
      );
    }
  }
}
