import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { DashAnswer, DashAnswers, MaracCriteria, MaracCriterion } from './dash-risk';
import { IsAgencyId, IsSubjectRef } from '../validation/ids';

export class ChildInHouseholdDto {
  @IsSubjectRef()
  subjectRef!: string;

  /** The school's URN when the child attends one; its designated safeguarding lead is asked. */
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'schoolUrn must be a 6-digit unique reference number' })
  schoolUrn?: string;
}

/** A MARAC referral about an adult victim of domestic abuse. */
export class SubmitReferralDto {
  @IsAgencyId()
  referringAgencyId!: string;

  @IsSubjectRef()
  victimRef!: string;

  @IsSubjectRef()
  perpetratorRef!: string;

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChildInHouseholdDto)
  children: ChildInHouseholdDto[] = [];

  @IsIn(MaracCriteria)
  criterion!: MaracCriterion;

  /** The 24 DASH answers in checklist order; the service computes the total. */
  @IsOptional()
  @IsArray()
  @IsIn(DashAnswers, { each: true })
  dashAnswers?: DashAnswer[];

  /** Only when the answers are missing, with dashAnswersMissingReason. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  dashTotal?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  dashAnswersMissingReason?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  professionalJudgementReason?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  incidentsLast12Months?: number;
}
