import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { URN_PATTERN } from '../domestic-abuse-notification/domestic-abuse-notification';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { NotBefore, OnlyWhen } from './cross-field.validators';
import { IsCalendarDate, IsRfc3339DateTime } from '../validation/date-time.validators';
import { NotTrueWith } from '../validation/not-together.validator';

export const MissingEpisodeKinds = ['from-home', 'from-care'] as const;
export type MissingEpisodeKind = (typeof MissingEpisodeKinds)[number];

/** Where the episode stands in this report: still missing, or found (returned or located). */
export const MissingEpisodeStatuses = ['missing', 'found'] as const;
export type MissingEpisodeStatus = (typeof MissingEpisodeStatuses)[number];

/** The police missing-person risk grading (College of Policing APP), as the reporter graded it. */
export const MissingPersonRiskGradings = ['no-apparent-risk', 'low', 'medium', 'high'] as const;
export type MissingPersonRiskGrading = (typeof MissingPersonRiskGradings)[number];

/**
 * The sharing policy knows three risk levels (standard, medium, high). A missing-person grading
 * maps onto them so: no apparent risk and low are `standard`, medium and high are themselves.
 * The recipients' views carry the grading as reported; only the policy sees the mapped level.
 */
export const MISSING_RISK_TO_POLICY_RISK: Record<
  MissingPersonRiskGrading,
  'standard' | 'medium' | 'high'
> = {
  'no-apparent-risk': 'standard',
  low: 'standard',
  medium: 'medium',
  high: 'high',
};

/** Signs of exploitation the reporter saw, as codes (never a narrative). */
export const ExploitationIndicators = [
  'child-sexual-exploitation',
  'child-criminal-exploitation',
  'county-lines',
  'trafficking',
  'other',
] as const;
export type ExploitationIndicator = (typeof ExploitationIndicators)[number];

/** Statutory guidance: a return home interview within 72 hours of the child's return. */
export const RETURN_HOME_INTERVIEW_DUE_HOURS = 72;

/** The hub's deadline kind for the return home interview (named in its escalations). */
export const RETURN_HOME_INTERVIEW_DEADLINE = 'return-home-interview';

/** The child who is or was missing. A school URN, or educated at home: exactly one of them. */
export class MissingChild {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsCalendarDate('past')
  dateOfBirth!: string;

  /** Required unless the child is educated at home. */
  @ValidateIf((child: MissingChild) => child.educatedAtHome !== true)
  @Matches(URN_PATTERN, { message: 'schoolUrn must be a 6 or 7 digit URN' })
  schoolUrn?: string;

  @IsOptional()
  @IsBoolean()
  @NotTrueWith('schoolUrn')
  educatedAtHome?: boolean;
}

/**
 * One report of a child missing from home or from care, as the police or social care node signs
 * it for the hub: the whole record. Every report of one episode carries the same `episodeId`
 * (chosen by the reporter's system), so the hub and the recipients' nodes keep one notification
 * per mailbox per episode and update it with each report.
 */
export class MissingEpisode extends SharingStatementFields {
  /** The episode's id, chosen by the reporter; the same on every report of the episode. */
  @IsUUID()
  episodeId!: string;

  /**
   * The reporting agency's mailbox that follows the episode (e.g. the force's missing persons
   * coordinator): the return home interview's outcome is delivered there, and nowhere else.
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reporterMailboxId!: string;

  /** The reporter's own reference for the episode (e.g. the force's missing person record). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reporterReference?: string;

  @IsIn(MissingEpisodeKinds)
  kind!: MissingEpisodeKind;

  @ValidateNested()
  @Type(() => MissingChild)
  child!: MissingChild;

  @IsIn(MissingEpisodeStatuses)
  status!: MissingEpisodeStatus;

  /** When the child went missing. */
  @IsRfc3339DateTime('past')
  startedAt!: string;

  /** When the child was found: required when found, absent while missing, not before startedAt. */
  @ValidateIf(
    (episode: MissingEpisode) => episode.status === 'found' || episode.foundAt !== undefined,
  )
  @OnlyWhen('status', 'found')
  @IsRfc3339DateTime('past')
  @NotBefore('startedAt')
  foundAt?: string;

  @IsIn(MissingPersonRiskGradings)
  riskGrading!: MissingPersonRiskGrading;

  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ExploitationIndicators.length)
  @IsIn(ExploitationIndicators, { each: true })
  exploitationIndicators!: ExploitationIndicator[];

  /** Earlier episodes of this child in the 90 days before this one. */
  @IsInt()
  @Min(0)
  @Max(1000)
  episodesInLast90Days!: number;

  /** What is known of the circumstances: where from, with whom, where found. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  circumstances!: string;
}

export const MISSING_EPISODE: MessageTypeDefinition<MissingEpisode> = {
  type: 'uk.safeguarding.exchange.missing-episode',
  version: 1,
  body: MissingEpisode,
};
