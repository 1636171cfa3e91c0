import { Module } from '@nestjs/common';

import { IncidentListService } from './incident-list.service';
import { IncidentNotificationRecipientRepository } from './incident-notification-recipient.repository';
import { IncidentNotificationRepository } from './incident-notification.repository';
import { IncidentStatusService } from './incident-status.service';
import { IncidentRepository } from './incident.repository';
import { IncidentsController } from './incidents.controller';
import { SubmitIncidentUseCase } from './submit-incident.usecase';

@Module({
  controllers: [IncidentsController],
  providers: [
    SubmitIncidentUseCase,
    IncidentRepository,
    IncidentNotificationRepository,
    IncidentNotificationRecipientRepository,
    IncidentStatusService,
    IncidentListService,
  ],
})
export class IncidentsModule {}
