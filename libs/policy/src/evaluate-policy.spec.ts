import { evaluatePolicy, NO_MATCHING_RULE } from './evaluate-policy';
import { minimise } from './minimise';
import { SharingPolicy, SharingRequest } from './policy.types';

const policy: SharingPolicy = {
  version: 'test-1',
  rules: [
    {
      id: 'refuse-withdrawn',
      messageType: 'referral',
      consent: ['withdrawn'],
      effect: 'refuse',
      reason: 'consent withdrawn and no justification',
    },
    {
      id: 'school-encompass-set',
      messageType: 'domestic-abuse-incident',
      senderKinds: ['police'],
      recipientKinds: ['education'],
      requiresJustification: true,
      effect: 'allow',
      fields: ['child.name', 'policeReference'],
      reason: 'Operation Encompass',
    },
  ],
};

const request: SharingRequest = {
  messageType: 'domestic-abuse-incident',
  senderKind: 'police',
  recipientKind: 'education',
  consent: 'not-sought',
  lawfulBasis: 'dpa2018-sch8-para4',
  safeguardingJustification: true,
  risk: 'medium',
};

describe('evaluatePolicy', () => {
  it('allows with the field list of the first matching rule, naming rule and version', () => {
    expect(evaluatePolicy(policy, request)).toEqual({
      effect: 'allow',
      ruleId: 'school-encompass-set',
      policyVersion: 'test-1',
      fields: ['child.name', 'policeReference'],
      reason: 'Operation Encompass',
    });
  });

  it('refuses when no rule matches, such as a missing justification', () => {
    const decision = evaluatePolicy(policy, { ...request, safeguardingJustification: false });
    expect(decision).toMatchObject({ effect: 'refuse', ruleId: NO_MATCHING_RULE });
  });

  it('applies an explicit refusal rule', () => {
    const decision = evaluatePolicy(policy, {
      ...request,
      messageType: 'referral',
      consent: 'withdrawn',
    });
    expect(decision).toMatchObject({ effect: 'refuse', ruleId: 'refuse-withdrawn' });
  });
});

describe('minimise', () => {
  it('keeps only the allowed dotted paths', () => {
    const body = {
      child: { name: 'A', dob: '2015-01-01' },
      policeReference: 'P1',
      adults: [{ name: 'B' }],
    };
    expect(minimise(body, ['child.name', 'policeReference'])).toEqual({
      child: { name: 'A' },
      policeReference: 'P1',
    });
  });
});
