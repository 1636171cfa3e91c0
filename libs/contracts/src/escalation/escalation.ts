import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/**
 * The hub's signed notice that a message was not acknowledged (or answered) by its deadline,
 * sent to the sender (its mailbox, when one sent it) and to the recipient agency's escalation
 * mailbox.
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

  @IsRfc3339DateTime()
  dueAt!: string;

  @IsRfc3339DateTime()
  escalatedAt!: string;

  /**
   * Which deadline passed, as the hub names its kinds (`acknowledgement`, `outcome`,
   * `return-home-interview`, …); absent means the acknowledgement.
   */
  @IsOptional()
  @Matches(/^[a-z][a-z-]{2,39}$/)
  deadlineKind?: string;

  /**
   * The mailbox this copy is filed in: the recipient agency's escalation mailbox, or the sender's
   * own mailbox when a mailbox sent the message (a referrer); absent on a copy to a sending node.
   */
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
