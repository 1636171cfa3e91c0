import { ConsentPosition, LawfulBasis, RiskLevel, SafeguardingJustification } from '@app/policy';

import { SharingStatement } from '../policy/sharing-request';

/** The sharing codes the hub recorded with a referral (its `referral` row). */
export interface ReferralSharingCodes {
  consent_position: ConsentPosition;
  lawful_basis: LawfulBasis;
  safeguarding_justification: SafeguardingJustification | null;
  risk_level: RiskLevel;
  family_informed: boolean;
}

/**
 * What social care's outcome of a referral rests on: social care's own lawful basis, not the
 * referrer's. A basis open to social care carries over (UK GDPR public task, DPA 2018 Sch. 1
 * para. 18, its own Children Act 1989 s.47 enquiries); a police referral's law-enforcement basis
 * (DPA 2018 Sch. 8 para. 4, for police only) becomes Sch. 1 para. 18, the same safeguarding
 * condition for processing that is not law enforcement. Consent, justification, risk and whether
 * the family was told are the referral's: telling the referrer the decision is part of the same
 * sharing. See docs/policy.md, "Referral outcomes".
 */
export function referralOutcomeStatement(referral: ReferralSharingCodes): SharingStatement {
  return {
    consent: { position: referral.consent_position },
    lawfulBasis:
      referral.lawful_basis === 'dpa2018-sch8-para4'
        ? 'dpa2018-sch1-para18'
        : referral.lawful_basis,
    ...(referral.safeguarding_justification
      ? { safeguardingJustification: referral.safeguarding_justification }
      : {}),
    familyInformed: referral.family_informed,
    riskLevel: referral.risk_level,
  };
}
