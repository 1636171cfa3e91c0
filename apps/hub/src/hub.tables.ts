import { REGISTRY_ENTITIES } from '@app/registry';

import { CreateRegistry1764140100000 } from './migrations/1764140100000-create-registry';

/** The hub's schema: the registry for now; deadlines and quarantine join it later. */
export const HUB_TABLES = {
  entities: REGISTRY_ENTITIES,
  migrations: [CreateRegistry1764140100000],
};
