import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { ENCOMPASS_VIEW } from '../domestic-abuse-notification/encompass-view';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { REFERRAL_VIEW } from '../referral/referral';
import { IsRfc3339DateTime } from '../validation/date-time.validators';
import { IsCorrectedMessage } from './corrected-message.validator';

/**
 * What a mailbox holding the original is told: `amended` (here is the corrected version),
 * `withdrawn` (disregard it), or `not-for-recipient` (the correction moved the message
 * elsewhere, e.g. the child is at another school: it was never meant for this mailbox).
 */
export const CorrectionViewKinds = ['amended', 'withdrawn', 'not-for-recipient'] as const;
export type CorrectionViewKind = (typeof CorrectionViewKinds)[number];

/** The views a correction may carry, by type: each held to its own schema. */
export const CORRECTABLE_VIEWS: Readonly<Record<string, MessageTypeDefinition>> = {
  [ENCOMPASS_VIEW.type]: ENCOMPASS_VIEW,
  [REFERRAL_VIEW.type]: REFERRAL_VIEW,
};

/**
 * A correction as one mailbox that holds the original receives it: which of its messages is
 * corrected (the id its own inbox knows), how, why, the correction's number among that
 * message's corrections, when it must acknowledge, and for `amended` this mailbox's view of the
 * corrected message, cut by the sharing policy exactly as the original's view was.
 */
export class CorrectionView {
  /** The sender's correction message id: the same for every recipient. */
  @IsUUID()
  correctionId!: string;

  /** This mailbox's delivery of the message corrected, as its inbox knows it. */
  @IsUUID()
  originalMessageId!: string;

  @IsIn(CorrectionViewKinds)
  kind!: CorrectionViewKind;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;

  @IsRfc3339DateTime()
  correctedAt!: string;

  /** 1 for the message's first correction, 2 for the next: orders the mailbox's history. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  correctionNumber!: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  @IsRfc3339DateTime()
  acknowledgeBy!: string;

  /** The corrected view's type; with `amended` only. */
  @ValidateIf((view: CorrectionView) => view.kind === 'amended')
  @IsIn(Object.keys(CORRECTABLE_VIEWS))
  correctedType?: string;

  /** This mailbox's view of the corrected message; with `amended` only. */
  @ValidateIf((view: CorrectionView) => view.kind === 'amended' || view.corrected !== undefined)
  @IsCorrectedMessage('correctedType', CORRECTABLE_VIEWS, { onlyWhenKind: 'amended' })
  corrected?: Record<string, unknown>;
}

export const CORRECTION_VIEW: MessageTypeDefinition<CorrectionView> = {
  type: 'uk.safeguarding.exchange.correction-view',
  version: 1,
  body: CorrectionView,
};
