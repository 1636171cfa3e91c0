import { Injectable } from '@nestjs/common';

/**
 * The MARAC service's only source of "now": referrals, deadlines and escalations all read it, so
 * a test can move time forward without fake timers. `setForTest` is refused in production.
 */
@Injectable()
export class Clock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Fixes the time this clock reports (null returns it to real time). Tests only. */
  setForTest(instant: Date | null): void {
    if (process.env.NODE_ENV === 'production') {
      throw new Error('the MARAC clock cannot be set in production');
    }
    this.fixed = instant ? new Date(instant) : null;
  }
}
