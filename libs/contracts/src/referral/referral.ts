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
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IncidentRiskLevels } from '../domestic-abuse-notification/domestic-abuse-notification';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsRfc3339DateTime, IsCalendarDate } from '../validation/date-time.validators';

export class ReferralChild {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsCalendarDate('past')
  dateOfBirth!: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  gender?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;

  /** The school, nursery or college the child attends. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  schoolOrSetting?: string;
}

/** A parent, carer or other household member the MASH should know of. */
export class ReferralFamilyMember {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  relationship!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  address?: string;
}

/** Who to call back at the referring agency. */
export class ReferrerContact {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  role!: string;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string;
}

/**
 * A referral of a child to children's social care (the MASH), as the referring node signs it.
 * It goes whole to the MASH; the referrer hears back through a `referral-outcome`.
 */
export class Referral extends SharingStatementFields {
  /** The referral's own id, the key of the feedback loop (outcome, status). */
  @IsUUID()
  referralId!: string;

  /** The referring mailbox: the outcome goes back there and nowhere else. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  referrerMailboxId!: string;

  @ValidateNested()
  @Type(() => ReferralChild)
  child!: ReferralChild;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ReferralFamilyMember)
  family?: ReferralFamilyMember[];

  /** What worries the referrer. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  concerns!: string;

  /** What the referrer has already done. */
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  actionsTaken?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  voiceOfChild?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ReferrerContact)
  referrerContact?: ReferrerContact;

  @IsIn(IncidentRiskLevels)
  riskLevel!: (typeof IncidentRiskLevels)[number];

  /** Share of the recommended fields filled in, 0 to 100 (referral quality). */
  @IsInt()
  @Min(0)
  @Max(100)
  completeness!: number;
}

export const REFERRAL: MessageTypeDefinition<Referral> = {
  type: 'uk.safeguarding.exchange.referral',
  version: 1,
  body: Referral,
};

/** What the MASH mailbox receives: the whole referral, its mailbox and the acknowledgement due. */
export class ReferralView extends Referral {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  recipientMailboxId!: string;

  @IsRfc3339DateTime()
  acknowledgeBy!: string;
}

export const REFERRAL_VIEW: MessageTypeDefinition<ReferralView> = {
  type: 'uk.safeguarding.exchange.referral-view',
  version: 1,
  body: ReferralView,
};
