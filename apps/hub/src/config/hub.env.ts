import { serviceEnvWithDefaults } from '@app/platform';
import { IsInt, Max, Min } from 'class-validator';

/** Environment of the hub; see .env.example for each variable. */
export class HubEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3000,
  DATABASE_SCHEMA: 'hub',
  KAFKA_GROUP_ID: 'hub',
}) {
  /** Largest envelope or record accepted, in bytes; larger ones are refused before parsing. */
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  ENVELOPE_MAX_BYTES = 1024 * 1024;

  /** Tolerated difference between nodes' clocks when checking iat, nbf and exp. */
  @IsInt()
  @Min(0)
  @Max(600)
  ENVELOPE_CLOCK_SKEW_SECONDS = 60;

  /** Longest accepted exp - iat; bounds how long a message id is kept in seen_jti. */
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 60 * 60)
  ENVELOPE_MAX_LIFETIME_SECONDS = 24 * 60 * 60;

  /** Grace period of a rotated-out key, used by `npm run keys -- rotate`. */
  @IsInt()
  @Min(0)
  @Max(365)
  KEY_ROTATION_GRACE_DAYS = 7;
}
