import { nodeEnvWithDefaults } from '@app/node';
import { IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';

/** Environment of the MARAC coordination service; see .env.example for each variable. */
export class MaracEnv extends nodeEnvWithDefaults({
  HTTP_PORT: 3005,
  DATABASE_SCHEMA: 'marac',
  KAFKA_GROUP_ID: 'marac',
  KAFKA_SASL_USERNAME: 'marac',
}) {
  /** The area's member agencies and their mailboxes (docs/marac.md explains why a file). */
  @IsString()
  @IsNotEmpty()
  MARAC_MEMBERS_FILE = 'deploy/marac/northshire-members.json';

  /**
   * The area's registry file (the hub's seed): the names of agencies and mailboxes the pack
   * prints instead of their ids. No personal data.
   */
  @IsString()
  @IsNotEmpty()
  MARAC_AREA_FILE = 'deploy/registry/demo-area.json';

  /** The date of one meeting of the calendar (any past or future one): the series is anchored here. */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'MARAC_FIRST_MEETING must be a date YYYY-MM-DD' })
  MARAC_FIRST_MEETING = '2026-01-08';

  @IsInt()
  @Min(1)
  @Max(366)
  MARAC_MEETING_INTERVAL_DAYS: number = 14;

  /** Wall-clock start of a meeting in MARAC_TIME_ZONE. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'MARAC_MEETING_TIME must be HH:MM' })
  MARAC_MEETING_TIME = '10:00';

  @IsString()
  @IsNotEmpty()
  MARAC_TIME_ZONE = 'Europe/London';

  /** Research responses are due this many working days before the meeting. */
  @IsInt()
  @Min(0)
  @Max(30)
  MARAC_RESPONSE_WORKING_DAYS: number = 3;

  /** A JSON list of bank holiday dates (YYYY-MM-DD); weekends are never working days. */
  @IsString()
  @IsNotEmpty()
  MARAC_BANK_HOLIDAYS_FILE = 'deploy/calendar/england-and-wales-bank-holidays.json';

  /** How often the deadline job looks for overdue requests and actions. */
  @IsInt()
  @Min(1)
  @Max(3_600)
  MARAC_DEADLINE_SCAN_SECONDS: number = 30;

  override crossCheck(): string[] {
    const problems = super.crossCheck();
    if (Number.isNaN(Date.parse(`${this.MARAC_FIRST_MEETING}T00:00:00Z`))) {
      problems.push('MARAC_FIRST_MEETING: not a calendar date');
    }
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: this.MARAC_TIME_ZONE });
    } catch {
      problems.push('MARAC_TIME_ZONE: not an IANA time zone');
    }
    return problems;
  }
}
