import path from 'node:path';

import { evaluatePolicy, NO_MATCHING_RULE } from './evaluate-policy';
import { loadSharingPolicy, parseSharingPolicy } from './load-policy';
import { minimise } from './minimise';
import { AgencyKinds, SharingRequest, SharingRule } from './policy.types';

const policy = loadSharingPolicy(
  path.join(__dirname, '..', '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
);

/** The request a rule is written for: its first option for every condition it sets. */
function requestFor(rule: SharingRule): SharingRequest {
  const allowing = rule.effect === 'allow';
  return {
    messageType: rule.messageType === '*' ? 'referral' : rule.messageType,
    senderKind: rule.senderKinds?.[0] ?? 'education',
    recipientKind: rule.recipientKinds?.[0] ?? 'social-care',
    consent: rule.consent?.[0] ?? (allowing ? 'given' : 'not-sought'),
    lawfulBasis: rule.lawfulBases?.[0] ?? 'dpa2018-sch1-para18',
    safeguardingJustification: rule.justified ? 'consent-cannot-reasonably-be-obtained' : null,
    risk: rule.minimumRisk ?? 'high',
  };
}

describe('the sharing policy file', () => {
  it('loads, with a dated version', () => {
    expect(policy.version).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    expect(policy.rules.length).toBeGreaterThan(10);
  });

  it.each(policy.rules.map((rule) => [rule.id, rule] as const))(
    'rule %s decides the case it is written for (no rule is shadowed by an earlier one)',
    (_, rule) => {
      const decision = evaluatePolicy(policy, requestFor(rule));
      expect(decision).toMatchObject({
        ruleId: rule.id,
        effect: rule.effect,
        policyVersion: policy.version,
      });
      if (decision.effect === 'allow') expect(decision.fields).toEqual(rule.fields);
    },
  );
});

const base: SharingRequest = {
  messageType: 'domestic-abuse-notification',
  senderKind: 'police',
  recipientKind: 'education',
  consent: 'not-sought',
  lawfulBasis: 'dpa2018-sch8-para4',
  safeguardingJustification: 'asking-would-put-someone-at-risk',
  risk: 'medium',
};

describe('decisions', () => {
  const cases: [string, Partial<SharingRequest>, string, 'allow' | 'refuse'][] = [
    [
      'police tell a school under Sch. 8 without consent, justified',
      {},
      'encompass-school-set',
      'allow',
    ],
    [
      'police tell the health visitor',
      { recipientKind: 'health' },
      'encompass-health-set',
      'allow',
    ],
    [
      'police tell the MASH everything',
      { recipientKind: 'social-care' },
      'encompass-mash-full',
      'allow',
    ],
    [
      'no consent and no justification',
      { safeguardingJustification: null },
      'no-consent-no-justification',
      'refuse',
    ],
    [
      'consent refused and no justification',
      { consent: 'refused', safeguardingJustification: null },
      'no-consent-no-justification',
      'refuse',
    ],
    [
      'consent given, no justification needed',
      { consent: 'given', safeguardingJustification: null },
      'encompass-school-set',
      'allow',
    ],
    [
      'a school citing the law-enforcement basis',
      { messageType: 'referral', senderKind: 'education', recipientKind: 'social-care' },
      'law-enforcement-basis-is-for-police',
      'refuse',
    ],
    [
      'a school refers to the MASH under Sch. 1',
      {
        messageType: 'referral',
        senderKind: 'education',
        recipientKind: 'social-care',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'referral-to-mash',
      'allow',
    ],
    [
      'a domestic abuse notification to housing',
      { recipientKind: 'housing' },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'a domestic abuse notification from a school',
      { senderKind: 'education', lawfulBasis: 'dpa2018-sch1-para18' },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'a low-risk missing episode to health',
      { messageType: 'missing-episode', recipientKind: 'health', risk: 'standard' },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'a medium-risk missing episode to health',
      { messageType: 'missing-episode', recipientKind: 'health' },
      'missing-episode-to-health',
      'allow',
    ],
    [
      'a high-risk missing episode from social care to health',
      {
        messageType: 'missing-episode',
        senderKind: 'social-care',
        recipientKind: 'health',
        lawfulBasis: 'dpa2018-sch1-para18',
        risk: 'high',
      },
      'missing-episode-to-health',
      'allow',
    ],
    [
      'a missing episode to the school',
      { messageType: 'missing-episode', risk: 'standard' },
      'missing-episode-to-school',
      'allow',
    ],
    [
      'a missing episode to the MASH, whole',
      { messageType: 'missing-episode', recipientKind: 'social-care', risk: 'standard' },
      'missing-episode-to-social-care',
      'allow',
    ],
    [
      'a missing episode with neither consent nor justification',
      {
        messageType: 'missing-episode',
        recipientKind: 'social-care',
        safeguardingJustification: null,
      },
      'no-consent-no-justification',
      'refuse',
    ],
    [
      'a missing episode reported by a school',
      {
        messageType: 'missing-episode',
        senderKind: 'education',
        recipientKind: 'social-care',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'a return home interview outcome to the reporting police',
      {
        messageType: 'return-home-interview-outcome',
        senderKind: 'social-care',
        recipientKind: 'police',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'return-home-interview-outcome-to-reporter',
      'allow',
    ],
    [
      'a return home interview outcome citing the police basis from social care',
      {
        messageType: 'return-home-interview-outcome',
        senderKind: 'social-care',
        recipientKind: 'police',
      },
      'law-enforcement-basis-is-for-police',
      'refuse',
    ],
    [
      'a return home interview outcome to a school',
      {
        messageType: 'return-home-interview-outcome',
        senderKind: 'social-care',
        recipientKind: 'education',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'a return home interview outcome without consent or justification',
      {
        messageType: 'return-home-interview-outcome',
        senderKind: 'social-care',
        recipientKind: 'police',
        lawfulBasis: 'dpa2018-sch1-para18',
        safeguardingJustification: null,
      },
      'no-consent-no-justification',
      'refuse',
    ],
    [
      'a consent withdrawal, whatever the consent position',
      { messageType: 'consent-withdrawn', consent: 'withdrawn', safeguardingJustification: null },
      'consent-withdrawal-always-travels',
      'allow',
    ],
    [
      'an outcome to the referring school',
      {
        messageType: 'referral-outcome',
        senderKind: 'social-care',
        recipientKind: 'education',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'referral-outcome-to-referrer',
      'allow',
    ],
    [
      'police refer a victim to the MARAC under Sch. 8, without consent, justified',
      { messageType: 'marac-referral', recipientKind: 'marac' },
      'marac-referral-to-marac',
      'allow',
    ],
    [
      'the MARAC tells the police referrer its decision, without consent, justified',
      {
        messageType: 'marac-referral-decision',
        senderKind: 'marac',
        recipientKind: 'police',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'marac-referral-decision-to-referrer',
      'allow',
    ],
    [
      'the MARAC tells a referring school its decision under consent',
      {
        messageType: 'marac-referral-decision',
        senderKind: 'marac',
        recipientKind: 'education',
        consent: 'given',
        safeguardingJustification: null,
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'marac-referral-decision-to-referrer',
      'allow',
    ],
    [
      'the MARAC deciding on the police referrer’s law-enforcement basis',
      { messageType: 'marac-referral-decision', senderKind: 'marac', recipientKind: 'police' },
      'law-enforcement-basis-is-for-police',
      'refuse',
    ],
    [
      'a MARAC decision without consent or a justification',
      {
        messageType: 'marac-referral-decision',
        senderKind: 'marac',
        recipientKind: 'health',
        lawfulBasis: 'dpa2018-sch1-para18',
        safeguardingJustification: null,
      },
      'no-consent-no-justification',
      'refuse',
    ],
    [
      'a MARAC decision from an agency that is not the MARAC',
      {
        messageType: 'marac-referral-decision',
        senderKind: 'social-care',
        recipientKind: 'police',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'the MARAC asks a school: the school set',
      {
        messageType: 'marac-information-request',
        senderKind: 'marac',
        recipientKind: 'education',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'marac-request-to-school',
      'allow',
    ],
    [
      'the MARAC asks the health visitor: the members set',
      {
        messageType: 'marac-information-request',
        senderKind: 'marac',
        recipientKind: 'health',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'marac-request-to-members',
      'allow',
    ],
    [
      'the MARAC relying on the police basis',
      { messageType: 'marac-information-request', senderKind: 'marac', recipientKind: 'health' },
      'law-enforcement-basis-is-for-police',
      'refuse',
    ],
    [
      'the MARAC without consent or a justification',
      {
        messageType: 'marac-action',
        senderKind: 'marac',
        recipientKind: 'police',
        lawfulBasis: 'dpa2018-sch1-para18',
        safeguardingJustification: null,
      },
      'no-consent-no-justification',
      'refuse',
    ],
    [
      'a school answers the MARAC',
      {
        messageType: 'marac-information-response',
        senderKind: 'education',
        recipientKind: 'marac',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'marac-response-to-marac',
      'allow',
    ],
    [
      'a MARAC request from an agency that is not the MARAC',
      {
        messageType: 'marac-information-request',
        senderKind: 'health',
        recipientKind: 'education',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      NO_MATCHING_RULE,
      'refuse',
    ],
    [
      'the MARAC escalates to a member',
      {
        messageType: 'marac-escalation',
        senderKind: 'marac',
        recipientKind: 'social-care',
        lawfulBasis: 'dpa2018-sch1-para18',
      },
      'marac-escalation-to-member',
      'allow',
    ],
  ];

  it.each(cases)('%s', (_, change, ruleId, effect) => {
    expect(evaluatePolicy(policy, { ...base, ...change })).toMatchObject({ ruleId, effect });
  });

  it('is pure: the same request always gets the same decision', () => {
    expect(evaluatePolicy(policy, base)).toEqual(evaluatePolicy(policy, { ...base }));
  });
});

describe('the missing episode rules', () => {
  const fieldsOf = (id: string) => policy.rules.find((rule) => rule.id === id)?.fields;

  it('keep the circumstances, the consent and the basis from the school and health', () => {
    for (const id of ['missing-episode-to-school', 'missing-episode-to-health']) {
      const fields = fieldsOf(id)!;
      expect(fields).toEqual(expect.arrayContaining(['episodeId', 'child.name', 'status']));
      for (const withheld of [
        'circumstances',
        'consent',
        'lawfulBasis',
        'safeguardingJustification',
        'familyInformed',
        'child.schoolUrn',
      ]) {
        expect(fields).not.toContain(withheld);
      }
    }
    expect(fieldsOf('missing-episode-to-social-care')).toBeUndefined();
  });

  it("keep the child's own account of the interview from the reporter", () => {
    expect(fieldsOf('return-home-interview-outcome-to-reporter')).not.toContain('childsAccount');
  });
});

describe('the MARAC referral decision rule', () => {
  it('tells the referrer the listing or the refusal, never the basis the MARAC shares under', () => {
    const decision = evaluatePolicy(policy, {
      ...base,
      messageType: 'marac-referral-decision',
      senderKind: 'marac',
      recipientKind: 'police',
      lawfulBasis: 'dpa2018-sch1-para18',
    });
    expect(decision.effect).toBe('allow');
    const fields = decision.effect === 'allow' ? decision.fields : undefined;
    expect(fields).toEqual([
      'referralId',
      'decision',
      'caseId',
      'meetingDate',
      'meetingAt',
      'reasonCode',
      'reason',
      'decidedAt',
    ]);
    expect(fields).not.toContain('lawfulBasis');
  });
});

describe('parseSharingPolicy', () => {
  it('names what is wrong with a bad file', () => {
    const bad = {
      version: 'v1',
      rules: [
        { id: 'a', messageType: 'x', effect: 'maybe', reason: 'r' },
        { id: 'dup-rule', messageType: 'x', senderKinds: ['army'], effect: 'allow', reason: 'r' },
        { id: 'dup-rule', messageType: 'x', effect: 'refuse', fields: ['a'], reason: 'r' },
      ],
    };
    let message = '';
    try {
      parseSharingPolicy(bad, 'test.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('version must look like');
    expect(message).toContain('rules.0.id');
    expect(message).toContain('rules.0.effect');
    expect(message).toContain('rules.1.senderKinds');
    expect(message).toContain('duplicate id dup-rule');
    expect(message).toContain('a refusal has no fields');
  });

  it('knows every agency kind it names', () => {
    for (const rule of policy.rules) {
      for (const kind of [...(rule.senderKinds ?? []), ...(rule.recipientKinds ?? [])]) {
        expect(AgencyKinds).toContain(kind);
      }
    }
  });
});

describe('minimise', () => {
  it('keeps only the allowed dotted paths', () => {
    const body = {
      child: { name: 'A', dateOfBirth: '2015-01-01' },
      policeReference: 'P1',
      adults: [{ name: 'B' }],
    };
    expect(minimise(body, ['child.name', 'policeReference'])).toEqual({
      child: { name: 'A' },
      policeReference: 'P1',
    });
  });

  it('keeps everything when the rule lists no fields, nothing when it lists none present', () => {
    const body = { a: 1, b: { c: 2 } };
    expect(minimise(body, undefined)).toEqual(body);
    expect(minimise(body, ['z.y'])).toEqual({});
  });
});
