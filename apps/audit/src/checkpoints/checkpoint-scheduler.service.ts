import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

import { AuditEnv } from '../config/audit.env';
import { CheckpointService } from './checkpoint.service';
import { describeError } from '@app/messaging';

const JOB = 'audit-checkpoint';

/**
 * Signs the head every AUDIT_CHECKPOINT_INTERVAL_SECONDS. Registered at run time because the
 * interval is configuration, which a decorator cannot read. Every instance runs it; the table
 * keeps one checkpoint per row, so two instances signing the same head store it once.
 */
@Injectable()
export class CheckpointScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CheckpointScheduler.name);
  private running = false;

  constructor(
    private readonly checkpoints: CheckpointService,
    private readonly scheduler: SchedulerRegistry,
    private readonly env: AuditEnv,
  ) {}

  onApplicationBootstrap(): void {
    const timer = setInterval(
      () => void this.tick(),
      this.env.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1_000,
    );
    timer.unref();
    this.scheduler.addInterval(JOB, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }

  /** One checkpoint; a failure is logged loudly and retried at the next interval. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const checkpoint = await this.checkpoints.signHead();
      if (checkpoint) this.logger.log(`checkpoint signed at row ${checkpoint.seq}`);
    } catch (error) {
      this.logger.error(`checkpoint not signed: ${describeError(error)}`);
    } finally {
      this.running = false;
    }
  }
}
