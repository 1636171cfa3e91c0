import { nextSchoolDayStart, OPERATION_ENCOMPASS_CALENDAR } from './school-day-calendar';

const at = (iso: string) => new Date(iso);

describe('nextSchoolDayStart', () => {
  it('is 08:30 London time on the next day, in winter (GMT)', () => {
    expect(nextSchoolDayStart(at('2026-01-14T21:15:00Z'), OPERATION_ENCOMPASS_CALENDAR)).toEqual(
      at('2026-01-15T08:30:00Z'),
    );
  });

  it('is 08:30 London time on the next day, in summer (BST = UTC+1)', () => {
    expect(nextSchoolDayStart(at('2026-06-10T12:00:00Z'), OPERATION_ENCOMPASS_CALENDAR)).toEqual(
      at('2026-06-11T07:30:00Z'),
    );
  });

  it('uses the local date: 23:30 UTC in summer is already the next day in London', () => {
    expect(nextSchoolDayStart(at('2026-06-10T23:30:00Z'), OPERATION_ENCOMPASS_CALENDAR)).toEqual(
      at('2026-06-12T07:30:00Z'),
    );
  });

  it('an incident before 08:30 is still due the next day, not the same morning', () => {
    expect(nextSchoolDayStart(at('2026-01-14T06:00:00Z'), OPERATION_ENCOMPASS_CALENDAR)).toEqual(
      at('2026-01-15T08:30:00Z'),
    );
  });

  it('counts weekends and holidays by default: Friday evening is due Saturday 08:30', () => {
    expect(nextSchoolDayStart(at('2026-01-16T19:00:00Z'), OPERATION_ENCOMPASS_CALENDAR)).toEqual(
      at('2026-01-17T08:30:00Z'),
    );
  });

  it('skips weekends and configured non-school days when an area says so', () => {
    const calendar = {
      ...OPERATION_ENCOMPASS_CALENDAR,
      skipWeekends: true,
      nonSchoolDays: ['2026-01-19'],
    };
    expect(nextSchoolDayStart(at('2026-01-16T19:00:00Z'), calendar)).toEqual(
      at('2026-01-20T08:30:00Z'),
    );
  });

  it('takes a configured time and zone, across the spring DST change', () => {
    const calendar = { ...OPERATION_ENCOMPASS_CALENDAR, dayStart: '09:00' };
    // 29 March 2026 is the day clocks go forward in the UK.
    expect(nextSchoolDayStart(at('2026-03-28T20:00:00Z'), calendar)).toEqual(
      at('2026-03-29T08:00:00Z'),
    );
  });
});
