import { addDays, CalendarDate, daysBetween, zonedDate, zonedInstant } from './calendar-dates';
import { WorkingDays } from './working-days';

export interface MeetingCalendarSettings {
  /** Any meeting of the series; the others are whole intervals before and after it. */
  anchorDate: CalendarDate;
  intervalDays: number;
  /** HH:MM on the wall clock of `timeZone`. */
  meetingTime: string;
  timeZone: string;
  /** Research responses are due this many working days before the meeting. */
  responseWorkingDays: number;
}

export interface Meeting {
  date: CalendarDate;
  startsAt: Date;
  /** The last day on which a research response is on time. */
  responsesDueDate: CalendarDate;
  /** The end of that day in the area's time zone: a response after this instant is late. */
  responsesDueAt: Date;
}

/**
 * The MARAC's meeting series (e.g. fortnightly on Thursdays at 10:00 Europe/London) and the
 * research deadline of each meeting. Pure, so every rule is unit-tested without a database.
 */
export class MeetingCalendar {
  constructor(
    private readonly settings: MeetingCalendarSettings,
    private readonly workingDays: WorkingDays,
  ) {}

  /** The meeting on a date of the series. */
  meeting(date: CalendarDate): Meeting {
    const { meetingTime, timeZone, responseWorkingDays } = this.settings;
    // N working days before a Thursday meeting with N = 3 is the Monday; N = 0 is the day itself.
    const responsesDueDate =
      responseWorkingDays === 0 ? date : this.workingDays.subtract(date, responseWorkingDays);
    return {
      date,
      startsAt: zonedInstant(date, meetingTime, timeZone),
      responsesDueDate,
      responsesDueAt: zonedInstant(addDays(responsesDueDate, 1), '00:00', timeZone),
    };
  }

  /**
   * The meeting a case referred at `now` is listed for: the first of the series whose research
   * due date is still ahead (after today), so every agency has at least one day to answer.
   */
  nextMeetingFor(now: Date): Meeting {
    const { anchorDate, intervalDays, timeZone } = this.settings;
    const today = zonedDate(now, timeZone);
    let step = Math.ceil(daysBetween(anchorDate, today) / intervalDays);
    for (;;) {
      const meeting = this.meeting(addDays(anchorDate, step * intervalDays));
      if (daysBetween(today, meeting.responsesDueDate) > 0 && meeting.date > today) return meeting;
      step++;
    }
  }
}
