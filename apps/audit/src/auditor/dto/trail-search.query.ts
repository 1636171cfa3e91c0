import { AuditAction, AuditActions, IsRfc3339DateTime } from '@app/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** Filters combine with AND; rows come in chain order, `limit` at a time. */
export class TrailSearchQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectRef?: string;

  /** The sending or the receiving agency. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agency?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  mailbox?: string;

  /** The message type. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @IsOptional()
  @IsIn(AuditActions)
  action?: AuditAction;

  /** occurredAt at or after this time. */
  @IsOptional()
  @IsRfc3339DateTime()
  from?: string;

  /** occurredAt before this time. */
  @IsOptional()
  @IsRfc3339DateTime()
  to?: string;

  /** The `nextAfterSeq` of the previous page. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
