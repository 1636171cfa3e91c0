import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';

export const RejectionConcerns = ['message', 'copy'] as const;
export type RejectionConcern = (typeof RejectionConcerns)[number];

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

  /**
   * `copy`: a record carrying or claiming this message id was refused (a replay, a re-headered
   * or forged copy) after the exchange had already decided on the message itself, whose state
   * stands. Absent: the message itself was refused.
   */
  @IsOptional()
  @IsIn(RejectionConcerns)
  concerns?: RejectionConcern;
}

export const REJECTION: MessageTypeDefinition<Rejection> = {
  type: 'uk.safeguarding.exchange.rejection',
  version: 1,
  body: Rejection,
};

/** True when a rejection is about a copy of an accepted message, not the message itself. */
export function isCopyRefusal(rejection: Rejection): boolean {
  return rejection.concerns === 'copy';
}
