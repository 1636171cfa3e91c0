import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';

import { ReplayGuardService } from './replay-guard.service';
import { describeError } from '@app/messaging';

/** Keeps seen_jti small: rows of expired envelopes serve no purpose once exp has passed. */
@Injectable()
export class SeenJtiPurgeJob {
  private readonly logger = new Logger(SeenJtiPurgeJob.name);

  constructor(private readonly replayGuard: ReplayGuardService) {}

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'seen-jti-purge' })
  async run(): Promise<void> {
    // A failed purge only leaves rows for the next run; log it rather than crash the scheduler.
    try {
      const purged = await this.replayGuard.purgeExpired();
      if (purged > 0) this.logger.log(`purged ${purged} expired message ids`);
    } catch (error) {
      this.logger.warn(`seen_jti purge failed: ${describeError(error)}`);
    }
  }
}
