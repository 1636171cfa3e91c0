import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsRfc3339DateTime } from '@app/contracts';

/** An agency system reports that consent about a subject was withdrawn. */
export class WithdrawConsentDto {
  /** The pseudonymous subject reference this node used when it shared (returned on submission). */
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  subjectRef!: string;

  /** Who withdrew consent: a role or description ("parent", "the young person"), not necessarily a name. */
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  withdrawnBy!: string;

  @ApiProperty({ format: 'date-time' })
  @IsRfc3339DateTime('past')
  withdrawnAt!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  /**
   * This node's mailbox that follows the withdrawal up: an escalation of a recipient that does
   * not acknowledge in time is filed there too (otherwise it reaches the node only).
   */
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  senderMailboxId?: string;
}
