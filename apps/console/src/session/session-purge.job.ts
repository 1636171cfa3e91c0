import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';

import { ConsoleSessions } from './console-sessions.service';

/** Ended sessions are deleted, not merely refused: no sealed token outlives its session long. */
@Injectable()
export class SessionPurgeJob {
  constructor(private readonly sessions: ConsoleSessions) {}

  @Interval(60_000)
  async purge(): Promise<void> {
    await this.sessions.purge();
  }
}
