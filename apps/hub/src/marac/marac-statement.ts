import { SharingStatementFields } from '@app/contracts';
import { ConsentPosition, LawfulBasis, RiskLevel, SafeguardingJustification } from '@app/policy';

import { SharingStatement } from '../policy/sharing-request';

/**
 * A MARAC case is high risk by definition: that is the MARAC's threshold (a DASH score of 14 or
 * more, professional judgement of high risk, escalation, or a repeat), so every MARAC message is
 * put to the policy as high risk rather than the sender claiming a level.
 */
export const MARAC_RISK: RiskLevel = 'high';

/** What a MARAC message's sharing rests on, as the hub asks the policy. */
export function maracStatement(terms: SharingStatementFields): SharingStatement {
  return {
    consent: { position: terms.consent.position },
    lawfulBasis: terms.lawfulBasis,
    ...(terms.safeguardingJustification
      ? { safeguardingJustification: terms.safeguardingJustification }
      : {}),
    familyInformed: terms.familyInformed,
    riskLevel: MARAC_RISK,
  };
}

/** The sharing terms recorded with a request or action the hub delivered (marac_delivery). */
export interface RecordedTerms {
  consent_position: ConsentPosition;
  lawful_basis: LawfulBasis;
  safeguarding_justification: SafeguardingJustification | null;
  family_informed: boolean;
}

/** A member's answer or update rests on the terms its request or action was shared under. */
export function recordedStatement(row: RecordedTerms): SharingStatement {
  return {
    consent: { position: row.consent_position },
    lawfulBasis: row.lawful_basis,
    ...(row.safeguarding_justification
      ? { safeguardingJustification: row.safeguarding_justification }
      : {}),
    familyInformed: row.family_informed,
    riskLevel: MARAC_RISK,
  };
}
