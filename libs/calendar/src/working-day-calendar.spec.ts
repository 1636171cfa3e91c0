import { addWorkingDays, isWorkingDay, WorkingDayCalendar } from './working-day-calendar';

const calendar: WorkingDayCalendar = {
  timeZone: 'Europe/London',
  dayStart: '09:00',
  // Christmas Day and Boxing Day 2026 (Friday and Saturday; the substitute day is Monday 28th).
  bankHolidays: ['2026-12-25', '2026-12-28'],
};

describe('addWorkingDays', () => {
  it.each([
    ['Tuesday afternoon: Wednesday, same time', '2026-01-13T14:00:00Z', 1, '2026-01-14T14:00:00Z'],
    ['Friday afternoon: Monday', '2026-01-16T15:30:00Z', 1, '2026-01-19T15:30:00Z'],
    ['Saturday: the clock starts Monday 09:00', '2026-01-17T10:00:00Z', 1, '2026-01-20T09:00:00Z'],
    [
      'Thursday before Christmas: skips the bank holidays',
      '2026-12-24T11:00:00Z',
      1,
      '2026-12-29T11:00:00Z',
    ],
    ['summer time: local wall clock kept', '2026-07-07T08:00:00Z', 1, '2026-07-08T08:00:00Z'],
    ['two working days from Thursday', '2026-01-15T10:00:00Z', 2, '2026-01-19T10:00:00Z'],
  ])('%s', (_, from, days, due) => {
    expect(addWorkingDays(new Date(from), days, calendar).toISOString()).toBe(
      new Date(due).toISOString(),
    );
  });

  it('knows weekends and bank holidays', () => {
    expect(isWorkingDay(new Date('2026-12-25T12:00:00Z'), calendar)).toBe(false);
    expect(isWorkingDay(new Date('2026-12-26T12:00:00Z'), calendar)).toBe(false);
    expect(isWorkingDay(new Date('2026-12-29T12:00:00Z'), calendar)).toBe(true);
  });
});
