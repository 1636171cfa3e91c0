import { addDays, daysBetween, isCalendarDate, zonedDate, zonedInstant } from './calendar-dates';
import { MeetingCalendar } from './meeting-calendar';
import { WorkingDays } from './working-days';

const holidays2026 = ['2026-04-03', '2026-04-06', '2026-05-04', '2026-12-25', '2026-12-28'];

describe('calendar dates', () => {
  it('recognises real dates only', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(daysBetween('2026-01-08', '2026-03-19')).toBe(70);
  });

  it('places a London wall time in GMT and in BST', () => {
    expect(zonedInstant('2026-01-08', '10:00', 'Europe/London').toISOString()).toBe(
      '2026-01-08T10:00:00.000Z',
    );
    expect(zonedInstant('2026-07-02', '10:00', 'Europe/London').toISOString()).toBe(
      '2026-07-02T09:00:00.000Z',
    );
    // The day the clocks go forward (29 March 2026, 01:00 GMT → 02:00 BST).
    expect(zonedInstant('2026-03-29', '00:00', 'Europe/London').toISOString()).toBe(
      '2026-03-29T00:00:00.000Z',
    );
    expect(zonedInstant('2026-03-30', '00:00', 'Europe/London').toISOString()).toBe(
      '2026-03-29T23:00:00.000Z',
    );
  });

  it('reads the London date of an instant', () => {
    expect(zonedDate(new Date('2026-07-01T23:30:00Z'), 'Europe/London')).toBe('2026-07-02');
    expect(zonedDate(new Date('2026-01-01T23:30:00Z'), 'Europe/London')).toBe('2026-01-01');
  });
});

describe('WorkingDays', () => {
  const days = new WorkingDays(holidays2026);

  it('excludes weekends and bank holidays', () => {
    expect(days.isWorkingDay('2026-03-06')).toBe(true); // Friday
    expect(days.isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(days.isWorkingDay('2026-03-08')).toBe(false); // Sunday
    expect(days.isWorkingDay('2026-04-03')).toBe(false); // Good Friday
  });

  it('counts back over a weekend', () => {
    expect(days.subtract('2026-03-19', 3)).toBe('2026-03-16'); // Thursday → Monday
    expect(days.subtract('2026-03-17', 3)).toBe('2026-03-12'); // Tuesday → previous Thursday
  });

  it('counts back over Easter', () => {
    // Thursday 9 April 2026: Wed 8, Tue 7 (Mon 6 and Fri 3 are bank holidays), Thu 2.
    expect(days.subtract('2026-04-09', 3)).toBe('2026-04-02');
  });

  it('gives the latest working day on or before a date for zero', () => {
    expect(days.subtract('2026-03-08', 0)).toBe('2026-03-06');
    expect(days.subtract('2026-03-09', 0)).toBe('2026-03-09');
  });

  it('counts forward over Christmas', () => {
    expect(days.add('2026-12-24', 1)).toBe('2026-12-29');
  });

  it('refuses a malformed holiday list', () => {
    expect(() => new WorkingDays(['2026-13-01'])).toThrow(RangeError);
  });
});

describe('MeetingCalendar', () => {
  const calendar = new MeetingCalendar(
    {
      anchorDate: '2026-01-08',
      intervalDays: 14,
      meetingTime: '10:00',
      timeZone: 'Europe/London',
      responseWorkingDays: 3,
    },
    new WorkingDays(holidays2026),
  );

  it('lists a referral for the next meeting whose research is not yet due', () => {
    // Wednesday 25 February: the meeting of Thursday 5 March has research due Monday 2 March.
    const meeting = calendar.nextMeetingFor(new Date('2026-02-25T12:00:00Z'));
    expect(meeting.date).toBe('2026-03-05');
    expect(meeting.startsAt.toISOString()).toBe('2026-03-05T10:00:00.000Z');
    expect(meeting.responsesDueDate).toBe('2026-03-02');
    expect(meeting.responsesDueAt.toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('moves to the following meeting when research would be due today or earlier', () => {
    expect(calendar.nextMeetingFor(new Date('2026-03-02T08:00:00Z')).date).toBe('2026-03-19');
    expect(calendar.nextMeetingFor(new Date('2026-03-05T08:00:00Z')).date).toBe('2026-03-19');
  });

  it('works before the anchor date too', () => {
    expect(calendar.nextMeetingFor(new Date('2025-12-20T12:00:00Z')).date).toBe('2025-12-25');
  });

  it('puts the deadline at the end of the due day in summer time', () => {
    const meeting = calendar.meeting('2026-07-02');
    expect(meeting.responsesDueDate).toBe('2026-06-29');
    expect(meeting.responsesDueAt.toISOString()).toBe('2026-06-29T23:00:00.000Z');
    expect(meeting.startsAt.toISOString()).toBe('2026-07-02T09:00:00.000Z');
  });
});
