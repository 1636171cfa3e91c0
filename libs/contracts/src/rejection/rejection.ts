import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';

/** The hub's signed refusal of a message, to its sender: a code and a reason naming no values. */
export class Rejection {
  /** The refused message's id. */
  @IsUUID()
  messageId!: string;

  @Matches(/^[A-Z][A-Z0-9_]*$/)
  @MaxLength(60)
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;

  /** The recipient the refusal concerns, when it is about routing (e.g. the school's URN). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recipient?: string;

  /** For DUPLICATE_NOTIFICATION: the sender's earlier message that reached the mailbox. */
  @IsOptional()
  @IsUUID()
  originalMessageId?: string;
}

export const REJECTION: MessageTypeDefinition<Rejection> = {
  type: 'uk.safeguarding.exchange.rejection',
  version: 1,
  body: Rejection,
};
