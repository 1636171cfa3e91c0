import {
  ArrayMaxSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/**
 * A node's signed statement that the consent its earlier sharing about a subject rested on was
 * withdrawn. The subject is the envelope's `sub`; the hub tells every mailbox that received that
 * subject's data from this node under consent (docs/policy.md, "Consent withdrawal").
 */
export class ConsentWithdrawn {
  /** Who withdrew consent: a role or description as the agency records it ("parent", "the young person"). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  withdrawnBy!: string;

  @IsRfc3339DateTime('past')
  withdrawnAt!: string;

  /** A short note for the recipients, e.g. what the family asked for. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  /**
   * The sender's own mailbox that follows the withdrawal up (e.g. the force's safeguarding
   * hub): an escalation of a mailbox that does not acknowledge is filed there as well as
   * reaching the sending node. Must be a mailbox of the signing node.
   */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  senderMailboxId?: string;
}

export const CONSENT_WITHDRAWN: MessageTypeDefinition<ConsentWithdrawn> = {
  type: 'uk.safeguarding.exchange.consent-withdrawn',
  version: 1,
  body: ConsentWithdrawn,
};

/**
 * What a mailbox that received the subject's data under consent is sent: the withdrawal, the
 * messages of its own that rested on that consent (ids as its inbox knows them) and when it
 * must acknowledge.
 */
export class ConsentWithdrawnView extends ConsentWithdrawn {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  @IsRfc3339DateTime()
  acknowledgeBy!: string;

  /** This mailbox's messages about the subject that were shared under the withdrawn consent. */
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  sharedMessageIds!: string[];
}

export const CONSENT_WITHDRAWN_VIEW: MessageTypeDefinition<ConsentWithdrawnView> = {
  type: 'uk.safeguarding.exchange.consent-withdrawn-view',
  version: 1,
  body: ConsentWithdrawnView,
};
