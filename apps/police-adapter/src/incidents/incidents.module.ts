import { Module } from '@nestjs/common';

import { IncidentStatusService } from './incident-status.service';
import { IncidentsController } from './incidents.controller';
import { SubmitIncidentUseCase } from './submit-incident.usecase';

@Module({
  controllers: [IncidentsController],
  providers: [SubmitIncidentUseCase, IncidentStatusService],
})
export class IncidentsModule {}
