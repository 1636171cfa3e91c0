import {
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { CALENDAR_DATE, IsAgencyId, IsSubjectRef } from './marac-ids';

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

  @Matches(CALENDAR_DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate!: string;

  /** The end of the due date in the area's time zone; after it the MARAC escalates. */
  @IsISO8601({ strict: true })
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

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsOptional()
  @IsSubjectRef()
  victimRef?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5_000)
  description?: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate?: string;
}

export const MARAC_ACTION_VIEW: MessageTypeDefinition<MaracActionView> = {
  type: 'uk.safeguarding.exchange.marac-action-view',
  version: 1,
  body: MaracActionView,
};
