import { ServicePersistence } from '@app/persistence';

import { CreatePoliceIncidents1764160200000 } from './migrations/1764160200000-create-police-incidents';
import { AddSharingRefusal1764170100000 } from './migrations/1764170100000-add-sharing-refusal';
import { CreateIncidentNotificationRecipients1764192300000 } from './migrations/1764192300000-create-incident-notification-recipients';
import { IndexIncidentNewestFirst1764201100000 } from './migrations/1764201100000-index-incident-newest-first';

/** The police node's own tables, after the ones every node has. */
export const POLICE_TABLES: Omit<ServicePersistence, 'schema'> = {
  entities: [],
  migrations: [
    CreatePoliceIncidents1764160200000,
    AddSharingRefusal1764170100000,
    CreateIncidentNotificationRecipients1764192300000,
    IndexIncidentNewestFirst1764201100000,
  ],
};
