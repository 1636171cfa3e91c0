import { BadRequestException, PipeTransform } from '@nestjs/common';

import { CalendarDate, isCalendarDate } from '../calendar/calendar-dates';

/** A meeting's date in a path: a real calendar date YYYY-MM-DD, or a 400 naming the field. */
export class MeetingDatePipe implements PipeTransform<string, CalendarDate> {
  transform(value: string): CalendarDate {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: ['date: must be a calendar date YYYY-MM-DD'],
      });
    }
    return value;
  }
}
