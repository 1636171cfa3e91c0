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

export const ConsentWithdrawalOutcomes = ['told', 'nobody-to-tell'] as const;
export type ConsentWithdrawalOutcome = (typeof ConsentWithdrawalOutcomes)[number];

/** One mailbox that must be told of the withdrawal, and when it must acknowledge. */
export class ConsentWithdrawalRecipient {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  mailboxId!: string;

  @IsRfc3339DateTime()
  acknowledgeBy!: string;
}

/**
 * The hub's signed answer to a withdrawal's sender: which mailboxes it tells (`told`), or that
 * no mailbox received this subject's data from the sender under consent (`nobody-to-tell`, an
 * empty list). Receipts and escalations per mailbox follow as for any delivery.
 */
export class ConsentWithdrawalRouted {
  /** The withdrawal's message id, as the sender knows it. */
  @IsUUID()
  messageId!: string;

  @IsIn(ConsentWithdrawalOutcomes)
  outcome!: ConsentWithdrawalOutcome;

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ConsentWithdrawalRecipient)
  recipients!: ConsentWithdrawalRecipient[];

  @IsRfc3339DateTime()
  routedAt!: string;
}

export const CONSENT_WITHDRAWAL_ROUTED: MessageTypeDefinition<ConsentWithdrawalRouted> = {
  type: 'uk.safeguarding.exchange.consent-withdrawal-routed',
  version: 1,
  body: ConsentWithdrawalRouted,
};
