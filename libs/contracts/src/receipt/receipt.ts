import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

export const ReceiptStatuses = ['delivered', 'acknowledged'] as const;
export type ReceiptStatus = (typeof ReceiptStatuses)[number];

/**
 * A recipient node's signed statement that a message reached a mailbox (`delivered`) or that a
 * person acknowledged it (`acknowledged`). The hub forwards it, re-signed, to the sender with
 * `messageId` naming the sender's own message.
 */
export class Receipt {
  /** The message this receipt is for, as the receiving party knows it. */
  @IsUUID()
  messageId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  mailboxId!: string;

  @IsIn(ReceiptStatuses)
  status!: ReceiptStatus;

  @IsRfc3339DateTime()
  at!: string;

  /** Who acknowledged: a display reference of the person (the token's subject), nothing more. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  by?: string;
}

export const RECEIPT: MessageTypeDefinition<Receipt> = {
  type: 'uk.safeguarding.exchange.receipt',
  version: 1,
  body: Receipt,
};
