import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { CorrectionKind, CorrectionKinds, IsRfc3339DateTime } from '@app/contracts';

/**
 * An agency system corrects a message this node sent: `amended` with the whole corrected
 * message (the same contract as the original: a domestic abuse notification or a referral), or
 * `withdrawn` with the reason only.
 */
export class CorrectMessageDto {
  /** The message id the node answered when the original was submitted. */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  originalMessageId!: string;

  @ApiProperty({ enum: CorrectionKinds })
  @IsIn(CorrectionKinds)
  kind!: CorrectionKind;

  /** What was wrong, for the recipients ("wrong date of birth", "allegation withdrawn"). */
  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  /** When the agency corrected its record; now when absent. */
  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsRfc3339DateTime('past')
  correctedAt?: string;

  /**
   * The whole corrected message, valid against the original's contract (checked against it
   * once the original is found); with `amended` only.
   */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  corrected?: Record<string, unknown>;
}
