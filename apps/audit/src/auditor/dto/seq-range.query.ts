import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

/** A range of rows by sequence number, both ends included; absent ends mean the chain's ends. */
export class SeqRangeQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  fromSeq?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  toSeq?: number;
}
