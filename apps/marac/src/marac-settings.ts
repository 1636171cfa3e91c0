import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Provider } from '@nestjs/common';

import { CalendarDate } from './calendar/calendar-dates';
import { MeetingCalendar } from './calendar/meeting-calendar';
import { WorkingDays } from './calendar/working-days';
import { MaracEnv } from './config/marac.env';
import { loadMembership, MaracMembership } from './members/marac-members';
import { AreaNames, loadAreaNames } from './research/area-names';

export const MARAC_MEMBERSHIP = Symbol('MARAC_MEMBERSHIP');

function loadBankHolidays(file: string): CalendarDate[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(file), 'utf8'));
  } catch (error) {
    throw new Error(`MARAC_BANK_HOLIDAYS_FILE ${file}: ${(error as Error).message}`);
  }
  const dates = (raw as { dates?: unknown }).dates;
  if (!Array.isArray(dates) || dates.some((date) => typeof date !== 'string')) {
    throw new Error(`MARAC_BANK_HOLIDAYS_FILE ${file}: "dates" must be a list of YYYY-MM-DD`);
  }
  return dates as CalendarDate[];
}

/**
 * The members file, the area's names and the calendar, read and validated once at start-up: a
 * bad file stops the boot.
 */
export const MARAC_SETTINGS_PROVIDERS: Provider[] = [
  {
    provide: AreaNames,
    useFactory: (env: MaracEnv): AreaNames => loadAreaNames(env.MARAC_AREA_FILE),
    inject: [MaracEnv],
  },
  {
    provide: MARAC_MEMBERSHIP,
    useFactory: (env: MaracEnv): MaracMembership => loadMembership(env.MARAC_MEMBERS_FILE),
    inject: [MaracEnv],
  },
  {
    provide: WorkingDays,
    useFactory: (env: MaracEnv) => new WorkingDays(loadBankHolidays(env.MARAC_BANK_HOLIDAYS_FILE)),
    inject: [MaracEnv],
  },
  {
    provide: MeetingCalendar,
    useFactory: (env: MaracEnv, workingDays: WorkingDays) =>
      new MeetingCalendar(
        {
          anchorDate: env.MARAC_FIRST_MEETING,
          intervalDays: env.MARAC_MEETING_INTERVAL_DAYS,
          meetingTime: env.MARAC_MEETING_TIME,
          timeZone: env.MARAC_TIME_ZONE,
          responseWorkingDays: env.MARAC_RESPONSE_WORKING_DAYS,
        },
        workingDays,
      ),
    inject: [MaracEnv, WorkingDays],
  },
];
