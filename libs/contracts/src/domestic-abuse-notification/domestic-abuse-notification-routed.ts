import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/**
 * Who hears of a child at a domestic abuse incident: the child's school or college (the local
 * authority's education mailbox for a child educated at home), the health visitor or school
 * nurse, the MASH.
 */
export const EncompassRecipientRoles = ['school', 'health', 'mash'] as const;
export type EncompassRecipientRole = (typeof EncompassRecipientRoles)[number];

/** One recipient the hub routes a notification to, and in which role. */
export class EncompassRecipient {
  @IsIn(EncompassRecipientRoles)
  role!: EncompassRecipientRole;

  /**
   * The recipient as the hub's receipts, rejections, refusals and escalations about it name it:
   * its mailbox id, or — for a recipient the area's registry lacks — what the RECIPIENT_UNKNOWN
   * rejection names (the school's URN, `educated-at-home`, `health-visiting`, `school-nursing`,
   * `mash`).
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipient!: string;

  /** When the mailbox must acknowledge; absent for a recipient the registry lacks. */
  @IsOptional()
  @IsRfc3339DateTime()
  acknowledgeBy?: string;
}

/**
 * The hub's signed answer to the police about one child's notification: which recipients it
 * routes it to, in which role. Whether each one was delivered, refused by the policy or not
 * reachable follows in the usual receipts, sharing refusals and rejections naming the recipient;
 * this notice is what lets the police node tell the school's status (its Operation Encompass
 * duty) from health's and the MASH's.
 */
export class DomesticAbuseNotificationRouted {
  /** The notification's message id, as the police node knows it. */
  @IsUUID()
  messageId!: string;

  @IsArray()
  @ArrayMaxSize(EncompassRecipientRoles.length)
  @ValidateNested({ each: true })
  @Type(() => EncompassRecipient)
  recipients!: EncompassRecipient[];

  @IsRfc3339DateTime()
  routedAt!: string;
}

export const DOMESTIC_ABUSE_NOTIFICATION_ROUTED: MessageTypeDefinition<DomesticAbuseNotificationRouted> =
  {
    type: 'uk.safeguarding.exchange.domestic-abuse-notification-routed',
    version: 1,
    body: DomesticAbuseNotificationRouted,
  };
