import { IsIn, IsInt, IsNotEmpty, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

import { KAFKA_SASL_MECHANISMS } from '@app/messaging';

import { kafkaSecurityFromEnv } from './kafka-security';
import { Secret } from './secret.decorator';

/** The development token issuer the hub serves outside production (see docs/authentication.md). */
export const DEV_ISSUER_URL = 'http://127.0.0.1:3000/dev-issuer';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Settings every service reads from its environment. Each app extends this with its own
 * defaults (port, schema, consumer group) and its own variables.
 */
export class BaseServiceEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Where logs go: `stdout`, or a file path they are appended to. */
  @IsString()
  @IsNotEmpty()
  LOG_DESTINATION = 'stdout';

  @IsString()
  @IsNotEmpty()
  HTTP_HOST = '127.0.0.1';

  @IsInt()
  @Min(0)
  @Max(65535)
  HTTP_PORT!: number;

  /**
   * Largest JSON request body, in bytes (413 beyond, before parsing). 256 KiB: sealed as a JWS
   * inside a JWE it stays under the hub's 1 MiB record limit.
   */
  @IsInt()
  @Min(1024)
  @Max(1_048_576)
  HTTP_BODY_MAX_BYTES: number = 262_144;

  /** Deepest nesting of a JSON request body (400 beyond, before parsing). */
  @IsInt()
  @Min(4)
  @Max(256)
  HTTP_BODY_MAX_DEPTH: number = 32;

  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, {
    message: 'KAFKA_BROKERS must be a comma-separated list of host:port',
  })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @Matches(/^[a-z][a-z0-9-]{1,62}$/, {
    message: 'KAFKA_GROUP_ID must be lower-case letters, digits and dashes',
  })
  KAFKA_GROUP_ID!: string;

  @IsInt()
  @Min(1)
  @Max(64)
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: number = 3;

  /**
   * How long the Kafka consumer may be no member of its group (starting, or after leaving it)
   * before /health answers 503 (docs/operations.md).
   */
  @IsInt()
  @Min(1)
  @Max(3600)
  HEALTH_CONSUMER_GROUP_GRACE_SECONDS: number = 60;

  /** The service's own Kafka principal (SCRAM user); its ACLs are in kafkaAccessRules. */
  @Matches(/^[A-Za-z0-9._@-]{1,128}$/, {
    message: 'KAFKA_SASL_USERNAME must be 1-128 letters, digits, dots, dashes, underscores or @',
  })
  KAFKA_SASL_USERNAME!: string;

  /** scram-sha-512 (the local broker, Amazon MSK, Aiven), scram-sha-256, or plain (Confluent Cloud, TLS only). */
  @IsIn(KAFKA_SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM: (typeof KAFKA_SASL_MECHANISMS)[number] = 'scram-sha-512';

  /** The principal's password; when unset it is read from KAFKA_SASL_PASSWORD_FILE. */
  @Secret()
  @IsString()
  KAFKA_SASL_PASSWORD = '';

  /** Default: KAFKA_CREDENTIALS_DIR/<KAFKA_SASL_USERNAME>.password (0600, made by npm run setup). */
  @IsString()
  KAFKA_SASL_PASSWORD_FILE = '';

  /** Where this machine keeps Kafka passwords (git-ignored, 0700), beside the node keys. */
  @IsString()
  @IsNotEmpty()
  KAFKA_CREDENTIALS_DIR = '.keys/kafka';

  /** `true`: SASL over TLS, verifying the brokers against KAFKA_SSL_CA_FILE. */
  @IsIn(['true', 'false'])
  KAFKA_SSL: 'true' | 'false' = 'false';

  @IsString()
  KAFKA_SSL_CA_FILE = '';

  /** A client certificate and its key (PEM), for brokers that ask for one. */
  @IsString()
  KAFKA_SSL_CERT_FILE = '';

  @IsString()
  KAFKA_SSL_KEY_FILE = '';

  @Secret()
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, {
    message: 'DATABASE_URL must be a postgres:// connection URL',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/safeguarding';

  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, {
    message: 'DATABASE_SCHEMA must be a lower-case PostgreSQL identifier',
  })
  DATABASE_SCHEMA!: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  /** Where this machine keeps private keys (git-ignored, mode 0700); never in the database. */
  @IsString()
  @IsNotEmpty()
  KEYS_DIR = '.keys';

  /** The OIDC issuer whose bearer tokens the HTTP API accepts (`iss`). */
  @IsUrl({ require_tld: false, require_protocol: true })
  AUTH_ISSUER = DEV_ISSUER_URL;

  /** Where that issuer publishes its signing keys. */
  @IsUrl({ require_tld: false, require_protocol: true })
  AUTH_JWKS_URL = `${DEV_ISSUER_URL}/jwks.json`;

  /** The audience (`aud`) tokens must be issued for. */
  @IsString()
  @IsNotEmpty()
  AUTH_AUDIENCE = 'safeguarding-exchange';

  /** The claim holding the caller's roles (a list, or a space-separated string). */
  @IsString()
  @IsNotEmpty()
  AUTH_ROLES_CLAIM = 'roles';

  /** The claim holding the mailboxes a mailbox-user is bound to. */
  @IsString()
  @IsNotEmpty()
  AUTH_MAILBOXES_CLAIM = 'mailboxes';

  /** The claim naming the agency an agency-system token acts for. */
  @IsString()
  @IsNotEmpty()
  AUTH_AGENCY_CLAIM = 'agency';

  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_TOLERANCE_SECONDS: number = 30;

  /** The longest a bearer token may live (`exp` - `iat`); longer-lived tokens are refused. */
  @IsInt()
  @Min(60)
  @Max(86_400)
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: number = 3600;

  /** How often the outbox relay polls when nothing wakes it (an insert wakes it at once). */
  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS: number = 500;

  /** Rows the relay claims and publishes per batch. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE: number = 100;

  /** How long a relay's claim on rows lasts; rows of a relay that died are re-claimed after it. */
  @IsInt()
  @Min(1)
  @Max(3600)
  OUTBOX_LEASE_SECONDS: number = 30;

  /** `false` pauses publishing (rows stay in the outbox until a relay runs). */
  @IsIn(['true', 'false'])
  OUTBOX_RELAY_ENABLED: 'true' | 'false' = 'true';

  /**
   * Refusals by the broker (topic missing or not authorised, record too large) after which an
   * outbox row is marked failed and no longer tried; an unreachable broker counts none.
   */
  @IsInt()
  @Min(1)
  @Max(100_000)
  OUTBOX_MAX_ATTEMPTS: number = 20;

  /** Sent outbox rows (value already cleared) are deleted this many hours after sending. */
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  OUTBOX_RETENTION_HOURS: number = 24;

  /**
   * The retention purge (libs/retention; docs/data-protection.md): `false` stops it (nothing is
   * purged, rows wait for the next enabled run).
   */
  @IsIn(['true', 'false'])
  RETENTION_PURGE_ENABLED: 'true' | 'false' = 'true';

  /** How often the purge looks for items past their retention period. */
  @IsInt()
  @Min(1_000)
  @Max(7 * 24 * 60 * 60 * 1000)
  RETENTION_PURGE_INTERVAL_MS: number = 60 * 60 * 1000;

  /** Items purged per transaction, so one run never holds long locks on a busy table. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  RETENTION_PURGE_BATCH_SIZE: number = 500;

  /** Days a mailbox's delivery is kept after it was acknowledged (rule inbox-acknowledged). */
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_INBOX_DAYS: number = 30;

  /** Days a MASH keeps a referral view after acknowledging it and sending its outcome. */
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_INBOX_REFERRAL_DAYS: number = 30;

  /** Days a message to the node itself (no mailbox, nothing to acknowledge) is kept. */
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_INBOX_NODE_NOTICE_DAYS: number = 30;

  /** Days a referrer's node keeps the MASH's next steps after the outcome arrived. */
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_REFERRAL_OUTCOME_DAYS: number = 30;

  /** Days the hub keeps a delivery's subject reference and deadlines after its last deadline closed. */
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_HUB_DELIVERY_DAYS: number = 365;

  /** Days the MARAC keeps the research answers after a case closed. */
  @IsInt()
  @Min(1)
  @Max(36_500)
  RETENTION_MARAC_RESEARCH_DAYS: number = 365;

  /** Problems that no single variable shows: combinations refused for safety. */
  crossCheck(): string[] {
    const problems = kafkaSecurityFromEnv(this).problems;
    if (this.NODE_ENV === 'production' && this.AUTH_ISSUER.startsWith(DEV_ISSUER_URL)) {
      problems.push('AUTH_ISSUER: the development issuer is refused when NODE_ENV=production');
    }
    return problems;
  }
}
