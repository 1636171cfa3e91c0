import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/**
 * `recipient`: held the original and is sent the correction; `new-recipient`: the corrected
 * message now goes to it (a changed school) as a notification of its own; `not-for-recipient`:
 * held the original and is told it was not meant for it.
 */
export const CorrectionRecipientRoles = [
  'recipient',
  'new-recipient',
  'not-for-recipient',
] as const;
export type CorrectionRecipientRole = (typeof CorrectionRecipientRoles)[number];

export class CorrectionRecipient {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  mailboxId!: string;

  @IsIn(CorrectionRecipientRoles)
  role!: CorrectionRecipientRole;

  @IsRfc3339DateTime()
  acknowledgeBy!: string;
}

/**
 * The hub's signed answer to a correction's sender: every mailbox it sends the correction to,
 * in which role, and when each must acknowledge. Receipts, escalations and refusals per mailbox
 * follow as for any delivery.
 */
export class CorrectionRouted {
  /** The correction's message id, as the sender knows it. */
  @IsUUID()
  messageId!: string;

  @IsUUID()
  originalMessageId!: string;

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CorrectionRecipient)
  recipients!: CorrectionRecipient[];

  @IsRfc3339DateTime()
  routedAt!: string;
}

export const CORRECTION_ROUTED: MessageTypeDefinition<CorrectionRouted> = {
  type: 'uk.safeguarding.exchange.correction-routed',
  version: 1,
  body: CorrectionRouted,
};
