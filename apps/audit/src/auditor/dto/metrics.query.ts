import { IsISO8601 } from 'class-validator';

/** The time range [from, to) the metrics cover, by when each measured step began. */
export class MetricsQuery {
  @IsISO8601({ strict: true })
  from!: string;

  @IsISO8601({ strict: true })
  to!: string;
}
