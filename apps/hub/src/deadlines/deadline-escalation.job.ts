import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';

import { HubEnv } from '../config/hub.env';
import { EscalateOverdueUseCase } from './escalate-overdue.usecase';
import { describeError } from '@app/messaging';

const JOB = 'deadline-escalation';

/**
 * Looks for overdue deadlines every DEADLINE_CHECK_INTERVAL_MS. Deadlines live in PostgreSQL,
 * so a restart loses none: the next run after start-up finds what fell due meanwhile.
 */
@Injectable()
export class DeadlineEscalationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineEscalationJob.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly escalate: EscalateOverdueUseCase,
    private readonly scheduler: SchedulerRegistry,
    private readonly dataSource: DataSource,
    private readonly env: HubEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.run(), this.env.DEADLINE_CHECK_INTERVAL_MS),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  /** One pass until nothing is overdue; a failure is logged and retried at the next interval. */
  run(): Promise<void> {
    if (this.running || !this.dataSource.isInitialized) return this.running ?? Promise.resolve();
    this.running = (async () => {
      try {
        let total = 0;
        for (
          let batch = await this.escalate.execute();
          batch > 0;
          batch = await this.escalate.execute()
        ) {
          total += batch;
        }
        if (total > 0) this.logger.log(`escalated ${total} overdue deadlines`);
      } catch (error) {
        this.logger.warn(`deadline escalation failed; will retry: ${describeError(error)}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }
}
