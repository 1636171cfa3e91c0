import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authorize } from '@app/platform';

import { MaracExceptionFilter } from '../errors/marac-exception.filter';
import { MeetingDatePipe } from './meeting-date.pipe';
import { MeetingAgenda, MeetingQueries, MeetingSummary } from './meeting-queries.service';

/** The coordinator's meeting calendar: which meetings there are, and each one's agenda. */
@ApiTags('marac')
@Controller('meetings')
@UseFilters(MaracExceptionFilter)
export class MeetingsController {
  constructor(private readonly meetings: MeetingQueries) {}

  @Get()
  @Authorize('marac-coordinator')
  list(): Promise<MeetingSummary[]> {
    return this.meetings.list();
  }

  /** The meeting's cases with their risk basis, and each member agency's research standing. */
  @Get(':date')
  @Authorize('marac-coordinator')
  agenda(@Param('date', MeetingDatePipe) date: string): Promise<MeetingAgenda> {
    return this.meetings.agenda(date);
  }
}
