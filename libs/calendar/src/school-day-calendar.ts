/** How an area counts school days for deadlines (DESIGN: deadlines come from a calendar). */
export interface SchoolDayCalendar {
  /** Local time the school day starts, `HH:MM`. */
  dayStart: string;
  /** IANA time zone of the area, e.g. `Europe/London`. */
  timeZone: string;
  /** Skip Saturdays and Sundays. Operation Encompass counts every day, so the default is false. */
  skipWeekends: boolean;
  /** Local dates (`YYYY-MM-DD`) that are not school days, e.g. bank holidays, if configured. */
  nonSchoolDays: readonly string[];
}

export const OPERATION_ENCOMPASS_CALENDAR: SchoolDayCalendar = {
  dayStart: '08:30',
  timeZone: 'Europe/London',
  skipWeekends: false,
  nonSchoolDays: [],
};

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local wall-clock time happens in the zone (DST-aware). */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall - offsetAt(new Date(wall), timeZone);
  // Once more at the guess: the offset may differ across a DST change between wall and guess.
  guess = wall - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The start of the next school day after `from` in the area's calendar: the day-start time on
 * the first following local date that is a school day. A notification sent at 07:00 is due at
 * 08:30 the next day, not the same morning: the school needs the evening to prepare.
 */
export function nextSchoolDayStart(from: Date, calendar: SchoolDayCalendar): Date {
  const match = /^(\d{2}):(\d{2})$/.exec(calendar.dayStart);
  if (!match) throw new Error('dayStart must be HH:MM');
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  const local = localParts(from, calendar.timeZone);
  const nonSchool = new Set(calendar.nonSchoolDays);
  // Walk calendar dates in UTC arithmetic (no zone), one day at a time; a year is the limit.
  const cursor = new Date(Date.UTC(local.year, local.month - 1, local.day));
  for (let step = 0; step < 366; step++) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const [y, m, d] = [cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, cursor.getUTCDate()];
    const weekday = cursor.getUTCDay();
    if (calendar.skipWeekends && (weekday === 0 || weekday === 6)) continue;
    if (nonSchool.has(isoDate(y, m, d))) continue;
    return zonedTime(y, m, d, hour, minute, calendar.timeZone);
  }
  throw new Error('no school day within a year: check the calendar');
}
