import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { MaracCriteria, MaracCriterion } from './dash-risk';
import { CALENDAR_DATE, IsAgencyId, IsSubjectRef } from './marac-ids';
import { MaracChild } from './marac-referral';

/**
 * The MARAC asks one member mailbox to research a case before the meeting. The hub delivers it
 * only to a mailbox whose agency is a member of this MARAC, cut down by the sharing policy; a
 * school's view names only the children on its roll.
 */
export class MaracInformationRequest extends SharingStatementFields {
  @IsUUID()
  requestId!: string;

  @IsUUID()
  caseId!: string;

  /** The member agency asked, and the mailbox of that agency the request is for. */
  @IsAgencyId()
  recipientAgencyId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;

  @Matches(CALENDAR_DATE, { message: 'meetingDate must be a date YYYY-MM-DD' })
  meetingDate!: string;

  @IsISO8601({ strict: true })
  meetingAt!: string;

  /** The research is due by then; after it the MARAC escalates. */
  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsSubjectRef()
  victimRef!: string;

  @IsSubjectRef()
  perpetratorRef!: string;

  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaracChild)
  children!: MaracChild[];

  @IsIn(MaracCriteria)
  criterion!: MaracCriterion;

  @IsInt()
  @Min(0)
  @Max(24)
  dashTotal!: number;

  @IsBoolean()
  repeat!: boolean;
}

export const MARAC_INFORMATION_REQUEST: MessageTypeDefinition<MaracInformationRequest> = {
  type: 'uk.safeguarding.exchange.marac-information-request',
  version: 1,
  body: MaracInformationRequest,
};

/**
 * What the member mailbox receives: the ids it answers with and the due time always, the rest
 * as the sharing policy's rule for that kind of member allows (hence optional here).
 */
export class MaracInformationRequestView {
  @IsUUID()
  requestId!: string;

  @IsUUID()
  caseId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: 'meetingDate must be a date YYYY-MM-DD' })
  meetingDate?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  meetingAt?: string;

  @IsOptional()
  @IsSubjectRef()
  victimRef?: string;

  @IsOptional()
  @IsSubjectRef()
  perpetratorRef?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaracChild)
  children?: MaracChild[];

  @IsOptional()
  @IsIn(MaracCriteria)
  criterion?: MaracCriterion;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  dashTotal?: number;

  @IsOptional()
  @IsBoolean()
  repeat?: boolean;
}

export const MARAC_INFORMATION_REQUEST_VIEW: MessageTypeDefinition<MaracInformationRequestView> = {
  type: 'uk.safeguarding.exchange.marac-information-request-view',
  version: 1,
  body: MaracInformationRequestView,
};
