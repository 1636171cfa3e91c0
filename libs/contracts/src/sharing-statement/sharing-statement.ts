import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

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
  @IsRfc3339DateTime('past')
  at?: string;
}

/**
 * What every submission that carries personal data states about the sharing (see DESIGN:
 * Consent and lawful basis): where consent stands, the lawful basis, the justification for
 * sharing without consent, and whether the family was told. The hub's sharing policy decides on
 * these; each decision is audited with them. Message bodies extend this class.
 */
export class SharingStatementFields {
  // ValidateNested alone lets an absent object through.
  @IsDefined()
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
