import { IsRfc3339DateTime } from '@app/contracts';

/** The time range [from, to) the metrics cover, by when each measured step began. */
export class MetricsQuery {
  @IsRfc3339DateTime()
  from!: string;

  @IsRfc3339DateTime()
  to!: string;
}
