import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Progress on a MARAC action owned by the mailbox: what was done, and whether it is finished. */
export class MaracActionProgressDto {
  @ApiProperty({ enum: ['in-progress', 'completed'] })
  @IsIn(['in-progress', 'completed'])
  status!: 'in-progress' | 'completed';

  @ApiProperty({ maxLength: 5000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(5_000)
  note!: string;
}
