import { Module } from '@nestjs/common';
import { SENT_MESSAGE_LOOKUP } from '@app/node';

import { IncidentListService } from './incident-list.service';
import { IncidentNotificationRecipientRepository } from './incident-notification-recipient.repository';
import { IncidentNotificationRepository } from './incident-notification.repository';
import { IncidentStatusService } from './incident-status.service';
import { IncidentRepository } from './incident.repository';
import { IncidentsController } from './incidents.controller';
import { SentNotificationsLookup } from './sent-notifications.lookup';
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
    // A correction finds the notification it corrects here (libs/node corrections).
    { provide: SENT_MESSAGE_LOOKUP, useClass: SentNotificationsLookup },
  ],
  exports: [SENT_MESSAGE_LOOKUP],
})
export class IncidentsModule {}
