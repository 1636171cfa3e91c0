import { areaDateTime, countdown, formatDate, formatDateTime, formatTime } from './area-time';

describe('times in the area (Europe/London)', () => {
  it('shows winter times as GMT and summer times as BST, the way people write them', () => {
    expect(formatDateTime('2026-12-03T09:05:00Z')).toBe('3 December 2026 at 9:05am');
    expect(formatDateTime('2026-07-01T15:30:00Z')).toBe('1 July 2026 at 4:30pm');
    expect(formatTime('2026-07-01T11:00:00Z')).toBe('midday');
    expect(formatTime('2026-12-03T00:00:00Z')).toBe('midnight');
  });

  it('dates a late-evening UTC time in summer on the next London day', () => {
    expect(formatDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
  });

  it('counts down to a deadline and then says how overdue it is', () => {
    const now = new Date('2026-12-03T09:00:00Z');
    expect(countdown('2026-12-03T11:05:00Z', now)).toBe('in 2 hours 5 minutes');
    expect(countdown('2026-12-04T12:00:00Z', now)).toBe('in 1 day 3 hours');
    expect(countdown('2026-12-03T08:59:00Z', now)).toBe('overdue by 1 minute');
    expect(countdown('2026-12-03T09:00:20Z', now)).toBe('in less than a minute');
  });
});

describe('a date and time typed in the area', () => {
  it('takes London time, in winter and in summer', () => {
    expect(areaDateTime('3', '12', '2026', '14:30')?.toISOString()).toBe(
      '2026-12-03T14:30:00.000Z',
    );
    expect(areaDateTime('1', '7', '2026', '2.30pm')?.toISOString()).toBe(
      '2026-07-01T13:30:00.000Z',
    );
  });

  it('refuses what is not a real date and time', () => {
    expect(areaDateTime('30', '2', '2026', '10:00')).toBeNull();
    expect(areaDateTime('1', '1', '2026', '25:00')).toBeNull();
    expect(areaDateTime('', '', '', '')).toBeNull();
  });
});
