import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { URN_PATTERN } from '../domestic-abuse-notification/domestic-abuse-notification';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { DashAnswer, DashAnswers, MaracCriteria, MaracCriterion } from './dash-risk';
import { IsAgencyId, IsSubjectRef } from './marac-ids';

/** A child in the victim's household, by pseudonymous reference. */
export class MaracChild {
  @IsSubjectRef()
  subjectRef!: string;

  /** The school's URN when the child attends one: its designated safeguarding lead is asked. */
  @IsOptional()
  @Matches(URN_PATTERN, { message: 'schoolUrn must be a 6 or 7 digit unique reference number' })
  schoolUrn?: string;
}

/**
 * What a referrer states in a MARAC referral about an adult victim of domestic abuse: the
 * people by pseudonymous reference, the criterion and the DASH checklist (`assessDashRisk` checks
 * the two together), and what the sharing rests on. The HTTP body of a referral, on a node and
 * at the MARAC's coordinator desk.
 */
export class MaracReferralDetails extends SharingStatementFields {
  /** The referring agency; the hub refuses a referral naming another agency than its node's. */
  @IsAgencyId()
  referringAgencyId!: string;

  @IsSubjectRef()
  victimRef!: string;

  @IsSubjectRef()
  perpetratorRef!: string;

  /** Absent or empty: no children in the household. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaracChild)
  children?: MaracChild[];

  @IsIn(MaracCriteria)
  criterion!: MaracCriterion;

  /** The 24 DASH answers in checklist order; the total is computed from them. */
  @IsOptional()
  @IsArray()
  @IsIn(DashAnswers, { each: true })
  dashAnswers?: DashAnswer[];

  /** Only when the answers are missing, with dashAnswersMissingReason. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  dashTotal?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  dashAnswersMissingReason?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  professionalJudgementReason?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  incidentsLast12Months?: number;
}

/**
 * What an agency's system sends its own node: the referral and the node's mailbox that hears the
 * MARAC's decision (listed for a meeting, or refused and why). The hub refuses a mailbox that is
 * not the signing node's.
 */
export class MaracReferralSubmission extends MaracReferralDetails {
  @IsAgencyId()
  referrerMailboxId!: string;
}

/** A MARAC referral as the referring node signs it for the hub. */
export class MaracReferral extends MaracReferralSubmission {
  /** The referral's id: the envelope's message id. */
  @IsUUID()
  referralId!: string;
}

export const MARAC_REFERRAL: MessageTypeDefinition<MaracReferral> = {
  type: 'uk.safeguarding.exchange.marac-referral',
  version: 1,
  body: MaracReferral,
};

/**
 * What the MARAC coordinator's mailbox receives: the whole referral and the mailbox. The referrer
 * mailbox is where the MARAC's decision goes (the hub routes it there from its own record).
 */
export class MaracReferralView extends MaracReferral {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;
}

export const MARAC_REFERRAL_VIEW: MessageTypeDefinition<MaracReferralView> = {
  type: 'uk.safeguarding.exchange.marac-referral-view',
  version: 1,
  body: MaracReferralView,
};
