import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';

/**
 * The hub's signed notice to a sender that the sharing policy refused a message for a recipient:
 * the rule and the policy version that decided, and the rule's reason. Nothing was delivered.
 * Unlike a rejection, the message itself was sound; the policy said no.
 */
export class SharingRefused {
  /** The refused message's id, as the sender knows it. */
  @IsUUID()
  messageId!: string;

  @Matches(/^[a-z0-9][a-z0-9-]{1,80}$/)
  ruleId!: string;

  @Matches(/^\d{4}-\d{2}-\d{2}\.\d+$/)
  policyVersion!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;

  /** The mailbox the refusal concerns. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  recipientMailboxId?: string;
}

export const SHARING_REFUSED: MessageTypeDefinition<SharingRefused> = {
  type: 'uk.safeguarding.exchange.sharing-refused',
  version: 1,
  body: SharingRefused,
};
