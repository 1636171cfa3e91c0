import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';
import { addWorkingDays, WorkingDayCalendar } from '@app/calendar';

import { HubEnv } from '../config/hub.env';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The area's working days for referral deadlines: Monday to Friday in DEADLINE_TIME_ZONE minus
 * the bank holidays of REFERRAL_BANK_HOLIDAYS_FILE (if the file exists) and REFERRAL_BANK_HOLIDAYS.
 * A file that exists but is malformed stops the hub at start-up rather than miscount deadlines.
 */
@Injectable()
export class ReferralCalendar {
  private readonly logger = new Logger(ReferralCalendar.name);
  readonly calendar: WorkingDayCalendar;

  constructor(private readonly env: HubEnv) {
    const listed = env.REFERRAL_BANK_HOLIDAYS.split(',').filter(Boolean);
    const file = env.REFERRAL_BANK_HOLIDAYS_FILE
      ? path.resolve(process.cwd(), env.REFERRAL_BANK_HOLIDAYS_FILE)
      : undefined;
    const fromFile = file && existsSync(file) ? readHolidays(file) : [];
    this.calendar = {
      timeZone: env.DEADLINE_TIME_ZONE,
      dayStart: env.REFERRAL_WORKING_DAY_START,
      bankHolidays: [...new Set([...fromFile, ...listed])].sort(),
    };
    this.logger.log(`referral calendar: ${this.calendar.bankHolidays.length} bank holidays`);
  }

  /** When the MASH must acknowledge a referral received at `at`. */
  acknowledgeBy(at: Date): Date {
    return addWorkingDays(at, this.env.REFERRAL_ACK_WORKING_DAYS, this.calendar);
  }

  /** When the MASH's decision must be back with the referrer. */
  outcomeBy(at: Date): Date {
    return addWorkingDays(at, this.env.REFERRAL_OUTCOME_WORKING_DAYS, this.calendar);
  }
}

function readHolidays(file: string): string[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { dates?: unknown };
  if (
    !Array.isArray(parsed.dates) ||
    !parsed.dates.every((d) => typeof d === 'string' && DATE.test(d))
  ) {
    throw new Error(`${file}: expected {"dates": ["YYYY-MM-DD", ...]}`);
  }
  return parsed.dates as string[];
}
