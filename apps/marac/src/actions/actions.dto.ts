import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsAgencyId, IsCalendarDate } from '@app/contracts';

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

  @IsCalendarDate()
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
