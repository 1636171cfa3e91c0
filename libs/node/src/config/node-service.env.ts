import { BaseServiceEnv, ServiceEnvDefaults } from '@app/platform';
import { IsUrl } from 'class-validator';

/** The hub's node id in the registry: the only signer whose deliveries a node accepts. */
export const HUB_NODE_ID = 'hub';

/** Settings every adapter reads besides the platform's. */
export class NodeServiceEnv extends BaseServiceEnv {
  /**
   * The hub's own public keys (JWKS). Nodes verify the hub's countersignature with them; they
   * never read the hub's schema.
   */
  @IsUrl({ require_tld: false, require_protocol: true })
  HUB_JWKS_URL = 'http://127.0.0.1:3000/.well-known/hub-jwks.json';
}

/** An adapter's environment class: the node settings with the adapter's own defaults. */
export function nodeEnvWithDefaults(defaults: ServiceEnvDefaults): new () => NodeServiceEnv {
  return class extends NodeServiceEnv {
    override HTTP_PORT = defaults.HTTP_PORT;
    override DATABASE_SCHEMA = defaults.DATABASE_SCHEMA;
    override KAFKA_GROUP_ID = defaults.KAFKA_GROUP_ID;
  };
}
