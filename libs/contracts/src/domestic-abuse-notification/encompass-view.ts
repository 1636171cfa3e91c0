import { Type } from 'class-transformer';
import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-registry';
import { ChildPresence, ChildPresences } from './domestic-abuse-notification';

export class EncompassChild {
  @IsString()
  @MaxLength(200)
  name!: string;

  @IsString()
  dateOfBirth!: string;

  @IsIn(ChildPresences)
  presence!: ChildPresence;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  voiceOfChild?: string;
}

/**
 * What the hub signs and encrypts to a school's mailbox: the Operation Encompass set, as the
 * sharing policy's `encompass-school-set` rule (deploy/policy/sharing-policy.json) lists it.
 */
export class EncompassView {
  /** The mailbox this view is for; the node files it there. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  /** When acknowledgement is due (start of the next school day). */
  @IsISO8601({ strict: true })
  acknowledgeBy!: string;

  @IsString()
  @MaxLength(100)
  policeReference!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  @MaxLength(500)
  location!: string;

  @ValidateNested()
  @Type(() => EncompassChild)
  child!: EncompassChild;

  @IsString()
  @MaxLength(8000)
  circumstances!: string;
}

export const ENCOMPASS_VIEW: MessageTypeDefinition<EncompassView> = {
  type: 'uk.safeguarding.exchange.domestic-abuse-notification-view',
  version: 1,
  body: EncompassView,
};
