import { addDays, CalendarDate, dayOfWeek, isCalendarDate } from './calendar-dates';

/**
 * Working days: Monday to Friday, less the area's bank holidays. Pure; the holidays come from a
 * data file (MARAC_BANK_HOLIDAYS_FILE) so that a new year's dates need no code change.
 */
export class WorkingDays {
  private readonly holidays: ReadonlySet<CalendarDate>;

  constructor(bankHolidays: Iterable<CalendarDate>) {
    const dates = [...bankHolidays];
    const invalid = dates.filter((date) => !isCalendarDate(date));
    if (invalid.length) throw new RangeError(`bank holidays: ${invalid.length} not YYYY-MM-DD`);
    this.holidays = new Set(dates);
  }

  isWorkingDay(date: CalendarDate): boolean {
    const day = dayOfWeek(date);
    return day !== 0 && day !== 6 && !this.holidays.has(date);
  }

  /**
   * The working day `count` working days before `date` (count ≥ 0): with count 3 and a Thursday
   * meeting, the Monday. Count 0 gives the latest working day on or before `date`.
   */
  subtract(date: CalendarDate, count: number): CalendarDate {
    if (!Number.isInteger(count) || count < 0)
      throw new RangeError('count must be a whole number ≥ 0');
    let current = date;
    if (count === 0) {
      while (!this.isWorkingDay(current)) current = addDays(current, -1);
      return current;
    }
    let left = count;
    while (left > 0) {
      current = addDays(current, -1);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }

  /** The working day `count` working days after `date` (count ≥ 1). */
  add(date: CalendarDate, count: number): CalendarDate {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError('count must be a whole number ≥ 1');
    let current = date;
    let left = count;
    while (left > 0) {
      current = addDays(current, 1);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }
}
