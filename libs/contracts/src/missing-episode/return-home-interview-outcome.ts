import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { LawfulBases } from '../sharing-statement/sharing-statement';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { OnlyWhen } from './cross-field.validators';
import { ExploitationIndicator, ExploitationIndicators } from './missing-episode';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/** Whether the return home interview took place. */
export const ReturnHomeInterviewOutcomes = ['held', 'declined', 'not-possible'] as const;
export type ReturnHomeInterviewOutcomeCode = (typeof ReturnHomeInterviewOutcomes)[number];

/** Who interviews: social care itself, or the provider it commissions for return interviews. */
export const ReturnHomeInterviewers = ['social-care', 'commissioned-provider'] as const;

export class ReturnHomeInterviewer {
  @IsIn(ReturnHomeInterviewers)
  by!: (typeof ReturnHomeInterviewers)[number];

  /** The commissioned provider's name; required when a provider conducted the interview. */
  @ValidateIf(
    (who: ReturnHomeInterviewer) =>
      who.by === 'commissioned-provider' || who.providerName !== undefined,
  )
  @OnlyWhen('by', 'commissioned-provider')
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  providerName?: string;
}

/**
 * Social care's outcome of the return home interview after a missing episode, as its node signs
 * it for the hub. The hub routes it to the node that reported the episode, cut down by the
 * policy (the child's own account stays with social care).
 */
export class ReturnHomeInterviewOutcome {
  @IsUUID()
  episodeId!: string;

  @IsIn(ReturnHomeInterviewOutcomes)
  outcome!: ReturnHomeInterviewOutcomeCode;

  /** When the interview was held; required when held, absent otherwise. */
  @ValidateIf(
    (rhi: ReturnHomeInterviewOutcome) => rhi.outcome === 'held' || rhi.heldAt !== undefined,
  )
  @OnlyWhen('outcome', 'held')
  @IsRfc3339DateTime('past')
  heldAt?: string;

  /** Why no interview took place; required when declined or not possible. */
  @ValidateIf(
    (rhi: ReturnHomeInterviewOutcome) => rhi.outcome !== 'held' || rhi.reasonNotHeld !== undefined,
  )
  @OnlyWhen('outcome', ['declined', 'not-possible'])
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reasonNotHeld?: string;

  @ValidateNested()
  @Type(() => ReturnHomeInterviewer)
  conductedBy!: ReturnHomeInterviewer;

  /** Exploitation the child disclosed or the interviewer identified, as codes. */
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ExploitationIndicators.length)
  @IsIn(ExploitationIndicators, { each: true })
  exploitationDisclosed!: ExploitationIndicator[];

  /** Concerns the interview raised (push and pull factors, risks), for the reporter. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  concerns?: string;

  /** What the child said, in their words: for social care's record, not shared onward. */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  childsAccount?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  nextSteps!: string;

  /** Social care's basis for telling the reporter (usually DPA 2018 Sch. 1 para. 18). */
  @IsIn(LawfulBases)
  lawfulBasis!: (typeof LawfulBases)[number];

  /** When social care recorded the outcome (set by its node). */
  @IsRfc3339DateTime()
  recordedAt!: string;
}

export const RETURN_HOME_INTERVIEW_OUTCOME: MessageTypeDefinition<ReturnHomeInterviewOutcome> = {
  type: 'uk.safeguarding.exchange.return-home-interview-outcome',
  version: 1,
  body: ReturnHomeInterviewOutcome,
};

export class ReturnHomeInterviewerView {
  @IsOptional()
  @IsIn(ReturnHomeInterviewers)
  by?: (typeof ReturnHomeInterviewers)[number];

  @IsOptional()
  @IsString()
  @MaxLength(200)
  providerName?: string;
}

/**
 * What the reporter receives, in the mailbox the episode named: the outcome as the policy lets
 * it through, the episode id and the mailbox (the MASH) that answered.
 */
export class ReturnHomeInterviewOutcomeView {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  @IsUUID()
  episodeId!: string;

  /** The mailbox that received the episode and sent the outcome (added by the hub). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  fromMailboxId!: string;

  @IsOptional()
  @IsIn(ReturnHomeInterviewOutcomes)
  outcome?: ReturnHomeInterviewOutcomeCode;

  @IsOptional()
  @IsRfc3339DateTime()
  heldAt?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reasonNotHeld?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ReturnHomeInterviewerView)
  conductedBy?: ReturnHomeInterviewerView;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ExploitationIndicators.length)
  @IsIn(ExploitationIndicators, { each: true })
  exploitationDisclosed?: ExploitationIndicator[];

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  concerns?: string;

  @IsOptional()
  @IsString()
  @MaxLength(8000)
  childsAccount?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  nextSteps?: string;

  @IsOptional()
  @IsIn(LawfulBases)
  lawfulBasis?: (typeof LawfulBases)[number];

  @IsOptional()
  @IsRfc3339DateTime()
  recordedAt?: string;
}

export const RETURN_HOME_INTERVIEW_OUTCOME_VIEW: MessageTypeDefinition<ReturnHomeInterviewOutcomeView> =
  {
    type: 'uk.safeguarding.exchange.return-home-interview-outcome-view',
    version: 1,
    body: ReturnHomeInterviewOutcomeView,
  };
