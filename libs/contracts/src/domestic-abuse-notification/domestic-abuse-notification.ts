import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { IsCalendarDate, IsRfc3339DateTime } from '../validation/date-time.validators';
import { NotTrueWith } from '../validation/not-together.validator';

export const ChildPresences = ['present', 'witnessing', 'present-and-witnessing'] as const;
export type ChildPresence = (typeof ChildPresences)[number];
export const IncidentRiskLevels = ['standard', 'medium', 'high'] as const;
/** A school's Unique Reference Number: six or seven digits. */
export const URN_PATTERN = /^\d{6,7}$/;

/** One child at the incident. A school URN, or educated at home: exactly one of them. */
export class IncidentChild {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsCalendarDate('past')
  dateOfBirth!: string;

  /** Required unless the child is educated at home. */
  @ValidateIf((child: IncidentChild) => child.educatedAtHome !== true)
  @Matches(URN_PATTERN, { message: 'schoolUrn must be a 6 or 7 digit URN' })
  schoolUrn?: string;

  @IsOptional()
  @IsBoolean()
  @NotTrueWith('schoolUrn')
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
 * One child's notification of a domestic abuse incident as the police node signs it for the
 * hub: the full record. The hub cuts it down per recipient (a school sees the Operation
 * Encompass set only); the body never travels to a recipient as is.
 */
export class DomesticAbuseNotification extends SharingStatementFields {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  policeReference!: string;

  /** Date and time of the incident. */
  @IsRfc3339DateTime('past')
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
}

export const DOMESTIC_ABUSE_NOTIFICATION: MessageTypeDefinition<DomesticAbuseNotification> = {
  type: 'uk.safeguarding.exchange.domestic-abuse-notification',
  version: 1,
  body: DomesticAbuseNotification,
};
