import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsAgencyId, IsSubjectRef } from '../validation/ids';

/** What the agency knows (facts, with dates and sources) kept apart from what it thinks. */
export class FactsAndOpinionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  facts!: string;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  opinion?: string;
}

export class ChildInvolvementDto extends FactsAndOpinionDto {
  @IsSubjectRef()
  subjectRef!: string;
}

/**
 * A member agency's research for the meeting. Until the transport lands this comes over HTTP
 * from the agency's system; then it arrives as a signed message through the hub (docs/marac.md).
 */
export class ResearchResponseDto {
  /** The agency answering; must be the agency the case's request went to. */
  @IsAgencyId()
  respondingAgencyId!: string;

  /** The mailbox the request was addressed to (a school's DSL, the MASH …). */
  @IsAgencyId()
  respondingMailboxId!: string;

  @ValidateNested()
  @Type(() => FactsAndOpinionDto)
  victimInvolvement!: FactsAndOpinionDto;

  @ValidateNested()
  @Type(() => FactsAndOpinionDto)
  perpetratorInvolvement!: FactsAndOpinionDto;

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChildInvolvementDto)
  childrenInvolvement: ChildInvolvementDto[] = [];

  @ValidateNested()
  @Type(() => FactsAndOpinionDto)
  knownRisks!: FactsAndOpinionDto;

  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  currentActions!: string;

  /** How the meeting reaches the researcher: a team, role and secure contact, not the subject's. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  contact!: string;
}
