import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import {
  ConsentStatement,
  LawfulBases,
  SafeguardingJustificationValues,
} from '../sharing-statement/sharing-statement';
import {
  ChildPresence,
  ChildPresences,
  IncidentRiskLevels,
  URN_PATTERN,
} from './domestic-abuse-notification';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

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

  /** The MASH's view only (encompass-mash-full): where the child goes to school. */
  @IsOptional()
  @Matches(URN_PATTERN)
  schoolUrn?: string;

  /** The MASH's view only: the child is educated at home. */
  @IsOptional()
  @IsBoolean()
  educatedAtHome?: boolean;
}

/**
 * What the hub signs and encrypts to one recipient of a domestic abuse notification: exactly the
 * fields the deciding rule of the sharing policy (deploy/policy/sharing-policy.json) lists, plus
 * the mailbox and the acknowledgement deadline. A school gets the Operation Encompass set
 * (`encompass-school-set`); the health visitor or school nurse that set and the risk level
 * (`encompass-health-set`); the MASH the whole notification (`encompass-mash-full`). The
 * optional fields below exist for the health and MASH rules: the view is validated strictly
 * (whitelist) on arrival, so a field no rule gives anyone cannot travel, and a school's view never
 * has them because its rule does not list them.
 */
export class EncompassView {
  /** The mailbox this view is for; the node files it there. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  /** When acknowledgement is due (start of the next school day). */
  @IsRfc3339DateTime()
  acknowledgeBy!: string;

  @IsString()
  @MaxLength(100)
  policeReference!: string;

  @IsRfc3339DateTime()
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

  /** Health and the MASH. */
  @IsOptional()
  @IsIn(IncidentRiskLevels)
  riskLevel?: (typeof IncidentRiskLevels)[number];

  /** The MASH only: what the police did (the investigation). */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  actionsTaken?: string;

  /** The MASH only: the sharing statement the police made. */
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

export const ENCOMPASS_VIEW: MessageTypeDefinition<EncompassView> = {
  type: 'uk.safeguarding.exchange.domestic-abuse-notification-view',
  version: 1,
  body: EncompassView,
};
