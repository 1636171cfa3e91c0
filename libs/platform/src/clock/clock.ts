import { Injectable } from '@nestjs/common';

/**
 * The time as the service's business rules see it (deadlines, escalations). Injected so a test
 * can move a running service's clock forward without fake timers under real Kafka.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
