import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsAgencyId } from '@app/contracts';

export class NewActionDto {
  /** A member agency of the case (one whose mailbox the case's research request went to). */
  @IsAgencyId()
  ownerAgencyId!: string;

  /** Which of the agency's case mailboxes owns it; needed only when the agency has several. */
  @IsOptional()
  @IsAgencyId()
  ownerMailboxId?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(5_000)
  description!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate!: string;
}

/** The actions agreed at the meeting, recorded by the coordinator. */
export class RecordActionsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => NewActionDto)
  actions!: NewActionDto[];
}
