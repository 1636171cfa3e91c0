import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

import { DOMESTIC_ABUSE_NOTIFICATION } from '../domestic-abuse-notification/domestic-abuse-notification';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { REFERRAL } from '../referral/referral';
import { IsRfc3339DateTime } from '../validation/date-time.validators';
import { IsCorrectedMessage } from './corrected-message.validator';

/**
 * `amended`: the message is replaced by `corrected` (a wrong date of birth, a wrong school);
 * `withdrawn`: the message should not have been sent as it was (a withdrawn allegation), and
 * recipients are told to disregard it; nothing replaces it.
 */
export const CorrectionKinds = ['amended', 'withdrawn'] as const;
export type CorrectionKind = (typeof CorrectionKinds)[number];

/** The messages a sender may correct, by type: each correction is held to its original's schema. */
export const CORRECTABLE_MESSAGES: Readonly<Record<string, MessageTypeDefinition>> = {
  [DOMESTIC_ABUSE_NOTIFICATION.type]: DOMESTIC_ABUSE_NOTIFICATION,
  [REFERRAL.type]: REFERRAL,
};

/**
 * A sender's signed correction of a message it sent (the subject is the envelope's `sub`, the
 * original's). The hub sends it to exactly the mailboxes that hold the original (docs/
 * data-protection.md, "Corrections"); the sharing policy cuts each recipient's view of the
 * corrected message as it cut the original's.
 */
export class Correction {
  /** The message corrected: the sender's own message id (the submission's). */
  @IsUUID()
  originalMessageId!: string;

  @IsIn(CorrectionKinds)
  kind!: CorrectionKind;

  /** Why, for the recipients: what was wrong ("wrong date of birth", "allegation withdrawn"). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsRfc3339DateTime('past')
  correctedAt!: string;

  /** The original's type; with `amended` only. */
  @ValidateIf((correction: Correction) => correction.kind === 'amended')
  @IsIn(Object.keys(CORRECTABLE_MESSAGES))
  correctedType?: string;

  /**
   * The whole corrected message, valid against `correctedType`'s schema; with `amended` only (a
   * withdrawal replaces nothing, so one that carries a message is refused).
   */
  @ValidateIf(
    (correction: Correction) => correction.kind === 'amended' || correction.corrected !== undefined,
  )
  @IsCorrectedMessage('correctedType', CORRECTABLE_MESSAGES, { onlyWhenKind: 'amended' })
  corrected?: Record<string, unknown>;
}

export const CORRECTION: MessageTypeDefinition<Correction> = {
  type: 'uk.safeguarding.exchange.correction',
  version: 1,
  body: Correction,
};
