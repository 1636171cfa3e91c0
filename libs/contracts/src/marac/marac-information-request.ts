import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { MaracCriteria, MaracCriterion } from './dash-risk';
import { IsAgencyId, IsSubjectRef } from './marac-ids';
import { MaracChild } from './marac-referral';
import { IsRfc3339DateTime, IsCalendarDate } from '../validation/date-time.validators';

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

  @IsCalendarDate()
  meetingDate!: string;

  @IsRfc3339DateTime()
  meetingAt!: string;

  /** The research is due by then; after it the MARAC escalates. */
  @IsRfc3339DateTime()
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

  @IsRfc3339DateTime()
  dueAt!: string;

  @IsOptional()
  @IsCalendarDate()
  meetingDate?: string;

  @IsOptional()
  @IsRfc3339DateTime()
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
