import { IsRfc3339DateTime } from '@app/contracts';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** The time range [from, to) the metrics cover, by when each measured step began. */
export class MetricsQuery {
  @IsRfc3339DateTime()
  from!: string;

  @IsRfc3339DateTime()
  to!: string;

  /** Only the groups of this agency (the agency measured, as the groups name it). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agency?: string;

  /** Only the groups of this submission type. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  messageType?: string;

  /** `true`: each duration also gives its distribution (counts per time band). */
  @IsOptional()
  @IsIn(['true', 'false'])
  distribution?: 'true' | 'false';
}
