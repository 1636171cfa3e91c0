import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequestExamples } from '@app/contracts';
import { DEFAULT_PAGE_SIZE, NewestFirstPageQuery } from '@app/node';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { SubmitIncidentDto } from './dto/submit-incident.dto';
import { IncidentListService, IncidentPage } from './incident-list.service';
import { IncidentNotifications, IncidentStatusService } from './incident-status.service';
import { SubmitIncidentUseCase, SubmittedIncident } from './submit-incident.usecase';

/** The force's systems submit domestic abuse incidents and follow their notifications. */
@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly submit: SubmitIncidentUseCase,
    private readonly status: IncidentStatusService,
    private readonly list: IncidentListService,
  ) {}

  @Post()
  @ApiBody({ type: SubmitIncidentDto, examples: RequestExamples.incident })
  @HttpCode(202)
  @Authorize('agency-system')
  @ApiOperation({ summary: 'Submit a domestic abuse incident: one notification per child' })
  @ApiAcceptedResponse({ description: 'Accepted: one message id per child' })
  @ApiBadRequestResponse({ description: 'Every invalid field is named; nothing is sent' })
  create(
    @Body() dto: SubmitIncidentDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SubmittedIncident> {
    return this.submit.execute(dto, principal.subject);
  }

  @Get()
  @Authorize('agency-system')
  @ApiOperation({
    summary:
      "The force's incidents, newest first, a page at a time: per child, each recipient's status and times",
  })
  incidents(@Query() query: NewestFirstPageQuery): Promise<IncidentPage> {
    return this.list.page(query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Get(':incidentId/notifications')
  @Authorize('agency-system')
  @ApiOperation({ summary: "Each child's notification: status and times per recipient" })
  notifications(
    @Param('incidentId', new ParseUUIDPipe()) incidentId: string,
  ): Promise<IncidentNotifications> {
    return this.status.notifications(incidentId);
  }
}
