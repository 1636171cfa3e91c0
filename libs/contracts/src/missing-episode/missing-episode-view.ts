import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import {
  ConsentStatement,
  LawfulBases,
  SafeguardingJustificationValues,
} from '../sharing-statement/sharing-statement';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import {
  ExploitationIndicator,
  ExploitationIndicators,
  MissingEpisodeKind,
  MissingEpisodeKinds,
  MissingEpisodeStatus,
  MissingEpisodeStatuses,
  MissingPersonRiskGrading,
  MissingPersonRiskGradings,
} from './missing-episode';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/** The child as a recipient may see them: whichever fields the policy's rule keeps. */
export class MissingEpisodeViewChild {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  dateOfBirth?: string;

  @IsOptional()
  @IsString()
  schoolUrn?: string;

  @IsOptional()
  @IsBoolean()
  educatedAtHome?: boolean;
}

/**
 * What the hub signs and encrypts to one mailbox for one report of a missing episode: the
 * fields the deciding policy rule allows (a school and health get the episode and the
 * exploitation indicators, social care the whole report), plus what the hub adds itself — ids
 * and numbers only: the mailbox, the acknowledgement deadline, the episode id (the receiving
 * node keeps one inbox item per episode and mailbox) and the report's number in the episode
 * (a later report supersedes an earlier one, whatever order they arrive in).
 */
export class MissingEpisodeView {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  @IsRfc3339DateTime()
  acknowledgeBy!: string;

  @IsUUID()
  episodeId!: string;

  /** 1 for the episode's first report, 2 for the next, … */
  @IsInt()
  @Min(1)
  reportNumber!: number;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  reporterMailboxId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  reporterReference?: string;

  @IsOptional()
  @IsIn(MissingEpisodeKinds)
  kind?: MissingEpisodeKind;

  @IsOptional()
  @ValidateNested()
  @Type(() => MissingEpisodeViewChild)
  child?: MissingEpisodeViewChild;

  @IsOptional()
  @IsIn(MissingEpisodeStatuses)
  status?: MissingEpisodeStatus;

  @IsOptional()
  @IsRfc3339DateTime()
  startedAt?: string;

  @IsOptional()
  @IsRfc3339DateTime()
  foundAt?: string;

  @IsOptional()
  @IsIn(MissingPersonRiskGradings)
  riskGrading?: MissingPersonRiskGrading;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ExploitationIndicators.length)
  @IsIn(ExploitationIndicators, { each: true })
  exploitationIndicators?: ExploitationIndicator[];

  @IsOptional()
  @IsInt()
  @Min(0)
  episodesInLast90Days?: number;

  @IsOptional()
  @IsString()
  @MaxLength(8000)
  circumstances?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentStatement)
  consent?: ConsentStatement;

  @IsOptional()
  @IsIn(LawfulBases)
  lawfulBasis?: (typeof LawfulBases)[number];

  @IsOptional()
  @IsIn(SafeguardingJustificationValues)
  safeguardingJustification?: (typeof SafeguardingJustificationValues)[number];

  @IsOptional()
  @IsBoolean()
  familyInformed?: boolean;
}

export const MISSING_EPISODE_VIEW: MessageTypeDefinition<MissingEpisodeView> = {
  type: 'uk.safeguarding.exchange.missing-episode-view',
  version: 1,
  body: MissingEpisodeView,
};
