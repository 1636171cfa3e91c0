import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsOptional, ValidateNested } from 'class-validator';

import {
  ConsentStatement,
  LawfulBases,
  SafeguardingJustificationValues,
} from '../domestic-abuse-notification/domestic-abuse-notification';

/**
 * What a MARAC message's sharing rests on, for the hub's sharing policy: the victim's consent
 * position (with who and when), the lawful basis, the safeguarding justification when consent
 * is not given, and whether the victim was told. Every MARAC message that carries a case's
 * people states it; the hub asks the policy with it and never forwards it to a member (the
 * policy's field lists leave it out).
 */
export class MaracSharingTerms {
  // ValidateNested alone lets an absent object through.
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentStatement)
  consent!: ConsentStatement;

  @IsIn(LawfulBases)
  lawfulBasis!: (typeof LawfulBases)[number];

  @IsOptional()
  @IsIn(SafeguardingJustificationValues)
  safeguardingJustification?: (typeof SafeguardingJustificationValues)[number];

  /** Whether the victim (and family) was told of the referral and the sharing. */
  @IsBoolean()
  familyInformed!: boolean;
}
