import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { OnlyWhen } from '../missing-episode/cross-field.validators';
import { LawfulBases } from '../sharing-statement/sharing-statement';
import { MaracReferralRefusalCode, MaracReferralRefusalCodes } from './dash-risk';
import { IsAgencyId } from './marac-ids';
import { IsRfc3339DateTime, IsCalendarDate } from '../validation/date-time.validators';

export const MaracReferralDecisions = ['listed', 'refused'] as const;
export type MaracReferralDecisionCode = (typeof MaracReferralDecisions)[number];

const listed = (decision: { decision?: string }) => decision.decision === 'listed';
const refused = (decision: { decision?: string }) => decision.decision === 'refused';

/**
 * The MARAC's decision on a referral that reached it through the hub, for the referrer: listed
 * (the case and the meeting it is listed for) or refused (the MARAC's code and a reason that
 * names the rule, never a value from the referral). The MARAC signs it in the transaction that
 * lists or refuses the referral; the hub sends it only to the referrer mailbox it recorded with
 * the referral, and takes one per referral, from the MARAC node the referral was delivered to.
 */
export class MaracReferralDecision {
  @IsUUID()
  referralId!: string;

  @IsIn(MaracReferralDecisions)
  decision!: MaracReferralDecisionCode;

  /** The case the referral became: required when listed, refused otherwise. */
  @ValidateIf((body: MaracReferralDecision) => listed(body) || body.caseId !== undefined)
  @OnlyWhen('decision', 'listed')
  @IsUUID()
  caseId?: string;

  /** The meeting the case is listed for, in the area's calendar. */
  @ValidateIf((body: MaracReferralDecision) => listed(body) || body.meetingDate !== undefined)
  @OnlyWhen('decision', 'listed')
  @IsCalendarDate()
  meetingDate?: string;

  /** When the meeting starts. */
  @ValidateIf((body: MaracReferralDecision) => listed(body) || body.meetingAt !== undefined)
  @OnlyWhen('decision', 'listed')
  @IsRfc3339DateTime()
  meetingAt?: string;

  /** Why the MARAC could not list it: required when refused, refused otherwise. */
  @ValidateIf((body: MaracReferralDecision) => refused(body) || body.reasonCode !== undefined)
  @OnlyWhen('decision', 'refused')
  @IsIn(MaracReferralRefusalCodes)
  reasonCode?: MaracReferralRefusalCode;

  /** The field and rule that failed, as the MARAC states it: no reference, no free text. */
  @ValidateIf((body: MaracReferralDecision) => refused(body) || body.reason !== undefined)
  @OnlyWhen('decision', 'refused')
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;

  @IsRfc3339DateTime()
  decidedAt!: string;

  /**
   * What the MARAC tells the referrer rests on: its own basis as a controller (consent,
   * justification and whether the victim was told are the referral's, from the hub's record).
   */
  @IsIn(LawfulBases)
  lawfulBasis!: (typeof LawfulBases)[number];
}

export const MARAC_REFERRAL_DECISION: MessageTypeDefinition<MaracReferralDecision> = {
  type: 'uk.safeguarding.exchange.marac-referral-decision',
  version: 1,
  body: MaracReferralDecision,
};

/**
 * What the referrer's mailbox receives: the referral it answers, listed or refused, and the rest
 * as the policy's rule allows (never the basis).
 */
export class MaracReferralDecisionView {
  @IsUUID()
  referralId!: string;

  @IsIn(MaracReferralDecisions)
  decision!: MaracReferralDecisionCode;

  @IsAgencyId()
  recipientMailboxId!: string;

  @IsOptional()
  @IsUUID()
  caseId?: string;

  @IsOptional()
  @IsCalendarDate()
  meetingDate?: string;

  @IsOptional()
  @IsRfc3339DateTime()
  meetingAt?: string;

  @IsOptional()
  @IsIn(MaracReferralRefusalCodes)
  reasonCode?: MaracReferralRefusalCode;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;

  @IsOptional()
  @IsRfc3339DateTime()
  decidedAt?: string;
}

export const MARAC_REFERRAL_DECISION_VIEW: MessageTypeDefinition<MaracReferralDecisionView> = {
  type: 'uk.safeguarding.exchange.marac-referral-decision-view',
  version: 1,
  body: MaracReferralDecisionView,
};
