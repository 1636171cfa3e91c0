import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RequestExamples } from '@app/contracts';
import { Authorize, CurrentPrincipal, Principal } from '@app/platform';

import { SubmitIncidentDto } from './dto/submit-incident.dto';
import { IncidentNotifications, IncidentStatusService } from './incident-status.service';
import { SubmitIncidentUseCase, SubmittedIncident } from './submit-incident.usecase';

/** The force's systems submit domestic abuse incidents and follow their notifications. */
@ApiTags('incidents')
@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly submit: SubmitIncidentUseCase,
    private readonly status: IncidentStatusService,
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

  @Get(':incidentId/notifications')
  @Authorize('agency-system')
  @ApiOperation({ summary: "Each child's notification: status and times per recipient" })
  notifications(
    @Param('incidentId', new ParseUUIDPipe()) incidentId: string,
  ): Promise<IncidentNotifications> {
    return this.status.notifications(incidentId);
  }
}
