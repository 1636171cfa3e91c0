import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-registry';

/**
 * Which deadline passed: the acknowledgement of a delivery, a referral's outcome, or a missing
 * episode's return home interview (the hub's `deadline.kind`).
 */
export const DeadlineKinds = ['acknowledgement', 'outcome', 'return-home-interview'] as const;
export type DeadlineKind = (typeof DeadlineKinds)[number];

/**
 * The hub's signed notice that a message was not acknowledged by its deadline, sent to the
 * sender and to the recipient agency's escalation mailbox.
 */
export class Escalation {
  /** The overdue message, as the receiving party knows it. */
  @IsUUID()
  messageId!: string;

  /** The mailbox that has not acknowledged. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  overdueMailboxId!: string;

  @IsISO8601({ strict: true })
  dueAt!: string;

  @IsISO8601({ strict: true })
  escalatedAt!: string;

  /** Which deadline passed; absent means the acknowledgement. */
  @IsOptional()
  @IsIn(DeadlineKinds)
  deadlineKind?: DeadlineKind;

  /** The escalation mailbox this copy is for; absent on the sender's copy. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recipientMailboxId?: string;
}

export const ESCALATION: MessageTypeDefinition<Escalation> = {
  type: 'uk.safeguarding.exchange.escalation',
  version: 1,
  body: Escalation,
};
