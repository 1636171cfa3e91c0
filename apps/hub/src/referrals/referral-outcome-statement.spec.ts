import path from 'node:path';

import { AgencyKind, evaluatePolicy, LawfulBases, loadSharingPolicy } from '@app/policy';

import { sharingRequest } from '../policy/sharing-request';
import { referralOutcomeStatement, ReferralSharingCodes } from './referral-outcome-statement';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);
const REFERRAL = 'uk.safeguarding.exchange.referral';
const OUTCOME = 'uk.safeguarding.exchange.referral-outcome';

const policeReferral: ReferralSharingCodes = {
  consent_position: 'not-sought',
  lawful_basis: 'dpa2018-sch8-para4',
  safeguarding_justification: 'asking-would-put-someone-at-risk',
  risk_level: 'high',
  family_informed: false,
};

describe('what a referral outcome rests on', () => {
  it("rests a police referral's outcome on social care's Sch. 1 para. 18, keeping consent and justification", () => {
    expect(referralOutcomeStatement(policeReferral)).toEqual({
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch1-para18',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
      riskLevel: 'high',
    });
  });

  it('keeps a basis social care may rely on', () => {
    for (const basis of [
      'ukgdpr-6-1-e-9-2-g',
      'dpa2018-sch1-para18',
      'children-act-1989-s47',
    ] as const) {
      expect(referralOutcomeStatement({ ...policeReferral, lawful_basis: basis }).lawfulBasis).toBe(
        basis,
      );
    }
  });

  it('was refused under the referral’s own Sch. 8 basis (the bug this fixes)', () => {
    const asked = sharingRequest(
      OUTCOME,
      {
        consent: { position: 'not-sought' },
        lawfulBasis: 'dpa2018-sch8-para4',
        safeguardingJustification: 'asking-would-put-someone-at-risk',
        familyInformed: false,
        riskLevel: 'high',
      },
      'social-care',
      'police',
    );
    expect(evaluatePolicy(policy, asked)).toMatchObject({
      effect: 'refuse',
      ruleId: 'law-enforcement-basis-is-for-police',
    });
  });

  // Every referral the policy lets reach the MASH, by referrer kind, basis and consent.
  const referrers: AgencyKind[] = ['education', 'health', 'police'];
  const delivered = referrers.flatMap((kind) =>
    LawfulBases.flatMap((basis) =>
      (['given', 'not-sought'] as const).flatMap((consent) => {
        const referral: ReferralSharingCodes = {
          ...policeReferral,
          consent_position: consent,
          lawful_basis: basis,
          safeguarding_justification:
            consent === 'given'
              ? null
              : basis === 'children-act-1989-s47'
                ? 's47-enquiry'
                : 'consent-cannot-reasonably-be-obtained',
        };
        const decision = evaluatePolicy(
          policy,
          sharingRequest(
            REFERRAL,
            {
              consent: { position: consent },
              lawfulBasis: basis,
              ...(referral.safeguarding_justification
                ? { safeguardingJustification: referral.safeguarding_justification }
                : {}),
              familyInformed: false,
              riskLevel: 'high',
            },
            kind,
            'social-care',
          ),
        );
        return decision.effect === 'allow' ? [[kind, basis, consent, referral] as const] : [];
      }),
    ),
  );

  it('covers police referrals under Sch. 8 among the referrals that reach the MASH', () => {
    expect(delivered.map(([kind, basis]) => `${kind} ${basis}`)).toContain(
      'police dpa2018-sch8-para4',
    );
  });

  it.each(delivered)(
    'an outcome goes back to %s for a referral under %s (consent %s)',
    (kind, _basis, _consent, referral) => {
      const answered = evaluatePolicy(
        policy,
        sharingRequest(OUTCOME, referralOutcomeStatement(referral), 'social-care', kind),
      );
      expect(answered).toMatchObject({ effect: 'allow', ruleId: 'referral-outcome-to-referrer' });
    },
  );
});
