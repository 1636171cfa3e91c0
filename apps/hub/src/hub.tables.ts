import { REGISTRY_ENTITIES } from '@app/registry';

import { CreateRegistry1764140100000 } from './migrations/1764140100000-create-registry';
import { CreateNodeKey1764150000000 } from './migrations/1764150000000-create-node-key';
import { CreateSeenJti1764150100000 } from './migrations/1764150100000-create-seen-jti';
import { SeenJtiEntity } from './replay/seen-jti.entity';

/** The hub's schema: the registry with the nodes' public keys, and the replay store. */
export const HUB_TABLES = {
  entities: [...REGISTRY_ENTITIES, SeenJtiEntity],
  migrations: [CreateRegistry1764140100000, CreateNodeKey1764150000000, CreateSeenJti1764150100000],
};
