import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-registry';

export const ChildPresences = ['present', 'witnessing', 'present-and-witnessing'] as const;
export type ChildPresence = (typeof ChildPresences)[number];
export const IncidentRiskLevels = ['standard', 'medium', 'high'] as const;
export const ConsentPositionValues = ['given', 'refused', 'not-sought', 'withdrawn'] as const;
/** Lawful bases the exchange knows (see DESIGN: Consent and lawful basis). */
export const LawfulBases = [
  'ukgdpr-6-1-e-9-2-g',
  'dpa2018-sch1-para18',
  'dpa2018-sch8-para4',
  'children-act-1989-s47',
] as const;
/**
 * Why sharing goes ahead without consent (the DPA 2018 safeguarding conditions, or the s.47
 * enquiry). The sharing policy refuses where neither consent nor one of these supports sharing.
 */
export const SafeguardingJustificationValues = [
  'consent-cannot-be-given',
  'consent-cannot-reasonably-be-obtained',
  'asking-would-put-someone-at-risk',
  's47-enquiry',
] as const;

/** A school's Unique Reference Number: six or seven digits. */
export const URN_PATTERN = /^\d{6,7}$/;

/** One child at the incident. A school URN, or educated at home: exactly one of them. */
export class IncidentChild {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateOfBirth must be YYYY-MM-DD' })
  dateOfBirth!: string;

  /** Required unless the child is educated at home. */
  @ValidateIf((child: IncidentChild) => child.educatedAtHome !== true)
  @Matches(URN_PATTERN, { message: 'schoolUrn must be a 6 or 7 digit URN' })
  schoolUrn?: string;

  @IsOptional()
  @IsBoolean()
  educatedAtHome?: boolean;

  @IsIn(ChildPresences)
  presence!: ChildPresence;

  /** What the child said or showed, where recorded. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  voiceOfChild?: string;
}

/**
 * Where consent stands, who gave, refused or withdrew it and when. Who and when are required for
 * every position but `not-sought`, since the trail must show whose decision the sharing rests on.
 */
export class ConsentStatement {
  @IsIn(ConsentPositionValues)
  position!: (typeof ConsentPositionValues)[number];

  /** Who gave, refused or withdrew consent (a role or a name as the agency records it). */
  @ValidateIf(
    (consent: ConsentStatement) => consent.position !== 'not-sought' || consent.by !== undefined,
  )
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  by?: string;

  /** When consent was given, refused or withdrawn. */
  @ValidateIf(
    (consent: ConsentStatement) => consent.position !== 'not-sought' || consent.at !== undefined,
  )
  @IsISO8601({ strict: true })
  at?: string;
}

/**
 * One child's notification of a domestic abuse incident as the police node signs it for the
 * hub: the full record. The hub cuts it down per recipient (a school sees the Operation
 * Encompass set only); the body never travels to a recipient as is.
 */
export class DomesticAbuseNotification {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  policeReference!: string;

  /** Date and time of the incident. */
  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  location!: string;

  @ValidateNested()
  @Type(() => IncidentChild)
  child!: IncidentChild;

  @IsIn(IncidentRiskLevels)
  riskLevel!: (typeof IncidentRiskLevels)[number];

  /** The circumstances of the incident that bear on the child. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  circumstances!: string;

  /** What the police did: part of the investigation, never shown to a school. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  actionsTaken!: string;

  @ValidateNested()
  @Type(() => ConsentStatement)
  consent!: ConsentStatement;

  @IsIn(LawfulBases)
  lawfulBasis!: (typeof LawfulBases)[number];

  /** The stated reason to share without consent; required by the policy when consent is not given. */
  @IsOptional()
  @IsIn(SafeguardingJustificationValues)
  safeguardingJustification?: (typeof SafeguardingJustificationValues)[number];

  /** Whether the family was told of the sharing; recorded with every policy decision. */
  @IsBoolean()
  familyInformed!: boolean;
}

export const DOMESTIC_ABUSE_NOTIFICATION: MessageTypeDefinition<DomesticAbuseNotification> = {
  type: 'uk.safeguarding.exchange.domestic-abuse-notification',
  version: 1,
  body: DomesticAbuseNotification,
};
