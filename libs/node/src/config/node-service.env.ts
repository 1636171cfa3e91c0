import { BaseServiceEnv, Secret, ServiceEnvDefaults } from '@app/platform';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

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

  /**
   * Where the hub serves registry entries of nodes (`<url><nodeId>`), to learn this node's
   * agency. Unset: `/.well-known/nodes/` on the host of HUB_JWKS_URL.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  HUB_REGISTRY_URL?: string;

  /**
   * Optional: the school's (or team's) endpoint told when a notification lands in a mailbox of
   * this node. Unset: nothing is pushed; the mailbox API is the only way in.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  MAILBOX_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key for the webhook's signature header; required when the URL is set. */
  @Secret()
  @ValidateIf((env: NodeServiceEnv) => Boolean(env.MAILBOX_WEBHOOK_URL))
  @IsString()
  @MinLength(16, { message: 'MAILBOX_WEBHOOK_SECRET must be at least 16 characters' })
  MAILBOX_WEBHOOK_SECRET?: string;

  /** Attempts before a webhook call is given up (marked failed, counted, logged). */
  @IsInt()
  @Min(1)
  @Max(100)
  MAILBOX_WEBHOOK_MAX_ATTEMPTS: number = 10;

  /** First retry delay; doubles per attempt up to one hour. */
  @IsInt()
  @Min(10)
  MAILBOX_WEBHOOK_RETRY_BASE_MS: number = 5_000;

  /** How often the relay looks for calls that are due. */
  @IsInt()
  @Min(10)
  MAILBOX_WEBHOOK_POLL_INTERVAL_MS: number = 1_000;
}

/** The base URL of the hub's node directory, ending in a slash. */
export function hubRegistryUrl(env: NodeServiceEnv): URL {
  const url = env.HUB_REGISTRY_URL ?? new URL('/.well-known/nodes/', env.HUB_JWKS_URL).href;
  return new URL(url.endsWith('/') ? url : `${url}/`);
}

/** An adapter's environment class: the node settings with the adapter's own defaults. */
export function nodeEnvWithDefaults(defaults: ServiceEnvDefaults): new () => NodeServiceEnv {
  return class extends NodeServiceEnv {
    override HTTP_PORT = defaults.HTTP_PORT;
    override DATABASE_SCHEMA = defaults.DATABASE_SCHEMA;
    override KAFKA_GROUP_ID = defaults.KAFKA_GROUP_ID;
    override KAFKA_SASL_USERNAME = defaults.KAFKA_SASL_USERNAME;
  };
}
