import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { IsAgencyId, IsSubjectRef } from './marac-ids';
import { IsRfc3339DateTime, IsCalendarDate } from '../validation/date-time.validators';

/** An action agreed at the meeting, sent by the MARAC to the owning member mailbox. */
export class MaracAction extends SharingStatementFields {
  @IsUUID()
  actionId!: string;

  @IsUUID()
  caseId!: string;

  @IsAgencyId()
  recipientAgencyId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;

  @IsSubjectRef()
  victimRef!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(5_000)
  description!: string;

  @IsCalendarDate()
  dueDate!: string;

  /** The end of the due date in the area's time zone; after it the MARAC escalates. */
  @IsRfc3339DateTime()
  dueAt!: string;
}

export const MARAC_ACTION: MessageTypeDefinition<MaracAction> = {
  type: 'uk.safeguarding.exchange.marac-action',
  version: 1,
  body: MaracAction,
};

/** What the owner's mailbox receives: the ids and due time always, the rest per the policy. */
export class MaracActionView {
  @IsUUID()
  actionId!: string;

  @IsUUID()
  caseId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;

  @IsRfc3339DateTime()
  dueAt!: string;

  @IsOptional()
  @IsSubjectRef()
  victimRef?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  description?: string;

  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;
}

export const MARAC_ACTION_VIEW: MessageTypeDefinition<MaracActionView> = {
  type: 'uk.safeguarding.exchange.marac-action-view',
  version: 1,
  body: MaracActionView,
};
