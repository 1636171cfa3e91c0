import { ReferralOutcomeCode, ReferralOutcomes } from '@app/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** What the MASH decided on a referral, and a short note of what happens next. */
export class RecordOutcomeDto {
  @ApiProperty({ enum: ReferralOutcomes })
  @IsIn(ReferralOutcomes)
  outcome!: ReferralOutcomeCode;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  nextSteps!: string;
}
