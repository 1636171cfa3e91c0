import { serviceEnvWithDefaults } from '@app/platform';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of the hub; see .env.example for each variable. */
export class HubEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3000,
  DATABASE_SCHEMA: 'hub',
  KAFKA_GROUP_ID: 'hub',
  KAFKA_SASL_USERNAME: 'hub',
}) {
  /** Largest envelope or record accepted, in bytes; larger ones are refused before parsing. */
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  ENVELOPE_MAX_BYTES: number = 1024 * 1024;

  /** Tolerated difference between nodes' clocks when checking iat, nbf and exp. */
  @IsInt()
  @Min(0)
  @Max(600)
  ENVELOPE_CLOCK_SKEW_SECONDS: number = 60;

  /** Longest accepted exp - iat; bounds how long a message id is kept in seen_jti. */
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 60 * 60)
  ENVELOPE_MAX_LIFETIME_SECONDS: number = 24 * 60 * 60;

  /** Grace period of a rotated-out key, used by `npm run keys -- rotate`. */
  @IsInt()
  @Min(0)
  @Max(365)
  KEY_ROTATION_GRACE_DAYS: number = 7;

  /** Local time the school day starts; acknowledgement is due then on the next school day. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'DEADLINE_SCHOOL_DAY_START must be HH:MM' })
  DEADLINE_SCHOOL_DAY_START = '08:30';

  /** The area's time zone (IANA name). */
  @Matches(/^[A-Za-z_]+(\/[A-Za-z_+-]+)*$/, { message: 'DEADLINE_TIME_ZONE must be an IANA zone' })
  DEADLINE_TIME_ZONE = 'Europe/London';

  /** `true` to skip Saturdays and Sundays; Operation Encompass counts every day, hence `false`. */
  @IsIn(['true', 'false'])
  DEADLINE_SKIP_WEEKENDS: 'true' | 'false' = 'false';

  /** Comma-separated local dates (YYYY-MM-DD) that are not school days; empty: every day counts. */
  @Matches(/^(\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*)?$/, {
    message: 'DEADLINE_NON_SCHOOL_DAYS must be comma-separated YYYY-MM-DD dates',
  })
  DEADLINE_NON_SCHOOL_DAYS = '';

  /** How often the hub looks for overdue deadlines, in milliseconds. */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DEADLINE_CHECK_INTERVAL_MS: number = 30_000;

  /** The sharing policy's rules (libs/policy); a relative path is taken from the working directory. */
  @IsString()
  @IsNotEmpty()
  SHARING_POLICY_FILE = 'deploy/policy/sharing-policy.json';

  /** Bank holidays (JSON `{"dates": ["YYYY-MM-DD", …]}`) for referral working days; skipped when absent. */
  @IsString()
  REFERRAL_BANK_HOLIDAYS_FILE = 'deploy/calendar/england-and-wales-bank-holidays.json';

  /** More bank holidays or local closures (comma-separated YYYY-MM-DD), added to the file's. */
  @Matches(/^(\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*)?$/, {
    message: 'REFERRAL_BANK_HOLIDAYS must be comma-separated YYYY-MM-DD dates',
  })
  REFERRAL_BANK_HOLIDAYS = '';

  /** Local time a working day starts; a referral made out of hours counts from then. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'REFERRAL_WORKING_DAY_START must be HH:MM' })
  REFERRAL_WORKING_DAY_START = '09:00';

  /** Working days the MASH has to acknowledge a referral. */
  @IsInt()
  @Min(1)
  @Max(30)
  REFERRAL_ACK_WORKING_DAYS: number = 1;

  /** Working days the MASH has to send its decision back to the referrer. */
  @IsInt()
  @Min(1)
  @Max(60)
  REFERRAL_OUTCOME_WORKING_DAYS: number = 1;

  /** Working days a mailbox has to acknowledge a withdrawal of consent (referral calendar). */
  @IsInt()
  @Min(1)
  @Max(30)
  CONSENT_WITHDRAWAL_ACK_WORKING_DAYS: number = 1;

  /**
   * The operator principal the administrator's dead-letter page reads and re-drives as (the
   * same login as `npm run dead-letter`; its ACLs, not the hub's, allow the topics).
   */
  @Matches(/^[A-Za-z0-9._-]{1,100}$/, { message: 'OPERATOR_KAFKA_USERNAME must be a user name' })
  OPERATOR_KAFKA_USERNAME = 'operator';

  /** Default: KAFKA_CREDENTIALS_DIR/<OPERATOR_KAFKA_USERNAME>.password (made by npm run setup). */
  @IsOptional()
  @IsString()
  OPERATOR_KAFKA_PASSWORD_FILE?: string;
}
