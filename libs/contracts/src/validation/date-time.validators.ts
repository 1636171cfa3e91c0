import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * Date-times exactly as the exchange stores and compares them: RFC 3339 (`2026-03-01T18:30:00Z`,
 * `...+01:00`), always with an offset, on a real calendar day. ISO 8601's other shapes (week
 * dates such as `2026-W01-1`, ordinal dates, no offset, `24:00`) are refused at the boundary, so
 * no node signs what the hub, PostgreSQL or a school's system would read differently or not at
 * all. The earliest year anyone's record can plausibly hold is 1900.
 */
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export const EARLIEST_PLAUSIBLE_YEAR = 1900;
/** Clocks of the agency's system, its node and the hub may differ a little. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** How far ahead a deadline, meeting or due date may plausibly be. */
export const LATEST_PLAUSIBLE_YEARS_AHEAD = 10;

/** Whether year-month-day is a day of the Gregorian calendar (no 2026-02-30, no 2014-02-29). */
export function isRealCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

export type TimeBound = 'past' | 'any';

/** Why a date-time string is refused, or null when it is acceptable. */
export function dateTimeProblem(value: unknown, bound: TimeBound, now = Date.now()): string | null {
  if (typeof value !== 'string') return 'must be an RFC 3339 date-time string';
  const match = RFC3339_DATE_TIME.exec(value);
  if (!match) return 'must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T18:30:00Z';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isRealCalendarDay(year, month, day)) return 'must be a real calendar date';
  return rangeProblem(year, Date.parse(value), bound, now);
}

/** Why a calendar date (YYYY-MM-DD) is refused, or null when it is acceptable. */
export function calendarDateProblem(
  value: unknown,
  bound: TimeBound,
  now = Date.now(),
): string | null {
  if (typeof value !== 'string') return 'must be a date YYYY-MM-DD';
  const match = CALENDAR_DAY.exec(value);
  if (!match) return 'must be a date YYYY-MM-DD';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!isRealCalendarDay(year, month, day)) return 'must be a real calendar date';
  // A date is "in the future" only once it has begun everywhere (UTC+14).
  return rangeProblem(year, Date.UTC(year, month - 1, day) - 14 * 3600_000, bound, now);
}

function rangeProblem(year: number, instant: number, bound: TimeBound, now: number): string | null {
  if (year < EARLIEST_PLAUSIBLE_YEAR) return `must not be before ${EARLIEST_PLAUSIBLE_YEAR}`;
  if (bound === 'past' && instant > now + FUTURE_TOLERANCE_MS) return 'must not be in the future';
  const latest = new Date(now).getUTCFullYear() + LATEST_PLAUSIBLE_YEARS_AHEAD;
  if (year > latest) return `must not be later than ${latest}`;
  return null;
}

function dateDecorator(
  name: string,
  check: (value: unknown) => string | null,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => `${args.property} ${check(args.value) ?? 'is invalid'}`,
        ...options,
      },
      validator: { validate: (value: unknown) => check(value) === null },
    });
  };
}

/**
 * An RFC 3339 date-time with an offset on a real calendar day, from 1900 on. `past`: something
 * that has happened (an incident, a withdrawal, a child found), not after now beyond the clock
 * tolerance; otherwise (a deadline, a meeting) at most ten years ahead.
 */
export function IsRfc3339DateTime(
  bound: TimeBound = 'any',
  options?: ValidationOptions,
): PropertyDecorator {
  return dateDecorator('isRfc3339DateTime', (value) => dateTimeProblem(value, bound), options);
}

/** A calendar date YYYY-MM-DD that exists, from 1900 on; `past` for a date of birth. */
export function IsCalendarDate(
  bound: TimeBound = 'any',
  options?: ValidationOptions,
): PropertyDecorator {
  return dateDecorator('isCalendarDate', (value) => calendarDateProblem(value, bound), options);
}
