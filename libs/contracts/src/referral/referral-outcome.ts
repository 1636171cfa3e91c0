import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/** What children's social care decided on a referral. */
export const ReferralOutcomes = [
  'no-further-action',
  'early-help',
  'child-in-need-assessment',
  'section-47-enquiry',
  'strategy-discussion',
  'child-protection-conference',
] as const;
export type ReferralOutcomeCode = (typeof ReferralOutcomes)[number];

/** Social care's decision on a referral, as its node signs it for the hub. */
export class ReferralOutcome {
  @IsUUID()
  referralId!: string;

  @IsIn(ReferralOutcomes)
  outcome!: ReferralOutcomeCode;

  /** A short note of what happens next, for the referrer. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  nextSteps!: string;

  @IsRfc3339DateTime()
  decidedAt!: string;
}

export const REFERRAL_OUTCOME: MessageTypeDefinition<ReferralOutcome> = {
  type: 'uk.safeguarding.exchange.referral-outcome',
  version: 1,
  body: ReferralOutcome,
};

/** What the referrer's mailbox receives: the outcome as the policy lets it through. */
export class ReferralOutcomeView extends ReferralOutcome {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;
}

export const REFERRAL_OUTCOME_VIEW: MessageTypeDefinition<ReferralOutcomeView> = {
  type: 'uk.safeguarding.exchange.referral-outcome-view',
  version: 1,
  body: ReferralOutcomeView,
};
