import { localParts, zonedTime } from './school-day-calendar';

/** How an area counts working days (referral deadlines): Monday to Friday except bank holidays. */
export interface WorkingDayCalendar {
  /** IANA time zone of the area, e.g. `Europe/London`. */
  timeZone: string;
  /** Local time a working day starts, `HH:MM`: the clock starts then for out-of-hours work. */
  dayStart: string;
  /** Local dates (`YYYY-MM-DD`) of bank holidays, configured per area. */
  bankHolidays: readonly string[];
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

function isWorkingDate(date: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(iso(date));
}

/** True when the instant falls on a working day of the area (local date). */
export function isWorkingDay(instant: Date, calendar: WorkingDayCalendar): boolean {
  const local = localParts(instant, calendar.timeZone);
  return isWorkingDate(
    new Date(Date.UTC(local.year, local.month - 1, local.day)),
    new Set(calendar.bankHolidays),
  );
}

/**
 * `days` working days after `from`: the same local time on the n-th following working day. Work
 * arriving on a weekend or bank holiday starts the clock at the start of the next working day,
 * so a referral made on Saturday is due at day start on Tuesday, not on Monday morning.
 */
export function addWorkingDays(from: Date, days: number, calendar: WorkingDayCalendar): Date {
  const match = /^(\d{2}):(\d{2})$/.exec(calendar.dayStart);
  if (!match) throw new Error('dayStart must be HH:MM');
  const holidays = new Set(calendar.bankHolidays);
  const local = localParts(from, calendar.timeZone);
  const cursor = new Date(Date.UTC(local.year, local.month - 1, local.day));
  let [hour, minute] = [local.hour, local.minute];
  let guard = 0;
  if (!isWorkingDate(cursor, holidays)) {
    [hour, minute] = [Number(match[1]), Number(match[2])];
    while (!isWorkingDate(cursor, holidays)) {
      cursor.setUTCDate(cursor.getUTCDate() + 1);
      if (++guard > 366) throw new Error('no working day within a year: check the calendar');
    }
  }
  for (let left = days; left > 0;) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    if (isWorkingDate(cursor, holidays)) left--;
    if (++guard > 366 * 2) throw new Error('no working day within a year: check the calendar');
  }
  return zonedTime(
    cursor.getUTCFullYear(),
    cursor.getUTCMonth() + 1,
    cursor.getUTCDate(),
    hour,
    minute,
    calendar.timeZone,
  );
}
