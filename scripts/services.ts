import { BaseServiceEnv, validateEnv } from '@app/platform';
import { ServicePersistence } from '@app/persistence';

import { AUDIT_TABLES } from '../apps/audit/src/audit.tables';
import { AuditEnv } from '../apps/audit/src/config/audit.env';
import { ConsoleEnv } from '../apps/console/src/config/console.env';
import { CONSOLE_TABLES } from '../apps/console/src/console.tables';
import { EducationEnv } from '../apps/education-adapter/src/config/education-adapter.env';
import { HealthEnv } from '../apps/health-adapter/src/config/health-adapter.env';
import { HubEnv } from '../apps/hub/src/config/hub.env';
import { HUB_TABLES } from '../apps/hub/src/hub.tables';
import { MaracEnv } from '../apps/marac/src/config/marac.env';
import { MARAC_TABLES } from '../apps/marac/src/marac.tables';
import { PoliceEnv } from '../apps/police-adapter/src/config/police-adapter.env';
import { POLICE_TABLES } from '../apps/police-adapter/src/police.tables';
import { SocialCareEnv } from '../apps/social-care-adapter/src/config/social-care-adapter.env';
import { NODE_TABLES } from '@app/node';

/** The eight services, in start order, with what the deploy step needs to know of each. */
export const SERVICES: {
  name: string;
  env: new () => BaseServiceEnv;
  tables: Omit<ServicePersistence, 'schema'>;
}[] = [
  { name: 'hub', env: HubEnv, tables: HUB_TABLES },
  { name: 'audit', env: AuditEnv, tables: AUDIT_TABLES },
  {
    name: 'police-adapter',
    env: PoliceEnv,
    tables: {
      entities: [...NODE_TABLES.entities, ...POLICE_TABLES.entities],
      migrations: [...NODE_TABLES.migrations, ...POLICE_TABLES.migrations],
    },
  },
  { name: 'education-adapter', env: EducationEnv, tables: NODE_TABLES },
  { name: 'health-adapter', env: HealthEnv, tables: NODE_TABLES },
  { name: 'social-care-adapter', env: SocialCareEnv, tables: NODE_TABLES },
  {
    name: 'marac',
    env: MaracEnv,
    tables: {
      entities: [...NODE_TABLES.entities, ...MARAC_TABLES.entities],
      migrations: [...NODE_TABLES.migrations, ...MARAC_TABLES.migrations],
    },
  },
  { name: 'console', env: ConsoleEnv, tables: CONSOLE_TABLES },
];

/** A service's validated environment as the deploy step sees it (its defaults, then process.env). */
export function serviceEnv(service: (typeof SERVICES)[number]): BaseServiceEnv {
  return validateEnv(service.env, process.env);
}
