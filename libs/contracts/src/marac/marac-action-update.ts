import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsAgencyId } from './marac-ids';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/** `acknowledged`: the owner has seen the action; then progress, until `completed`. */
export const MaracActionStatuses = ['acknowledged', 'in-progress', 'completed'] as const;
export type MaracActionStatus = (typeof MaracActionStatuses)[number];

/**
 * The owning mailbox acknowledges an action or reports progress on it, as its node signs it.
 * The hub takes it only from the node and mailbox the action was delivered to.
 */
export class MaracActionUpdate {
  @IsUUID()
  actionId!: string;

  @IsUUID()
  caseId!: string;

  /** The mailbox the action was delivered to. */
  @IsAgencyId()
  mailboxId!: string;

  @IsIn(MaracActionStatuses)
  status!: MaracActionStatus;

  /** What was done; required for progress, optional with an acknowledgement. */
  @ValidateIf((update: MaracActionUpdate) => update.status !== 'acknowledged' || !!update.note)
  @IsString()
  @IsNotEmpty()
  @MaxLength(5_000)
  note?: string;

  @IsRfc3339DateTime()
  at!: string;
}

export const MARAC_ACTION_UPDATE: MessageTypeDefinition<MaracActionUpdate> = {
  type: 'uk.safeguarding.exchange.marac-action-update',
  version: 1,
  body: MaracActionUpdate,
};

/** What the MARAC coordinator's mailbox receives: the update and the owner's agency. */
export class MaracActionUpdateView extends MaracActionUpdate {
  /** The owner's agency, from the hub's registry (never from the update). */
  @IsAgencyId()
  agencyId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;
}

export const MARAC_ACTION_UPDATE_VIEW: MessageTypeDefinition<MaracActionUpdateView> = {
  type: 'uk.safeguarding.exchange.marac-action-update-view',
  version: 1,
  body: MaracActionUpdateView,
};
