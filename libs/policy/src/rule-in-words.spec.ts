import { fieldInWords, ruleInWords } from './rule-in-words';

describe('a sharing rule in plain words', () => {
  it('says what is shared, from whom to whom, and only which fields', () => {
    expect(
      ruleInWords({
        id: 'encompass-school-set',
        messageType: 'domestic-abuse-notification',
        senderKinds: ['police'],
        recipientKinds: ['education'],
        effect: 'allow',
        fields: ['policeReference', 'child.dateOfBirth'],
        reason: 'Operation Encompass.',
      }),
    ).toEqual({
      id: 'encompass-school-set',
      effect: 'Shares',
      when: 'A domestic abuse notification from the police to education',
      sees: 'Only: police reference and child: date of birth',
      reason: 'Operation Encompass.',
    });
  });

  it('says the conditions of a refusal, and that nothing is seen', () => {
    expect(
      ruleInWords({
        id: 'no-consent-no-justification',
        messageType: '*',
        consent: ['refused', 'not-sought', 'withdrawn'],
        justified: false,
        effect: 'refuse',
        reason: 'Neither consent nor a justification.',
      }),
    ).toMatchObject({
      effect: 'Refuses',
      when: 'Any message, when consent is refused, not sought or withdrawn and no safeguarding justification is stated',
      sees: null,
    });
    expect(
      ruleInWords({
        id: 'x',
        messageType: 'missing-episode',
        recipientKinds: ['health'],
        minimumRisk: 'medium',
        lawfulBases: ['dpa2018-sch8-para4'],
        effect: 'allow',
        reason: 'r',
      }),
    ).toMatchObject({
      when: 'A missing episode to health, when it relies on DPA 2018 Schedule 8 paragraph 4 and the risk is medium or higher',
      sees: 'The whole message',
    });
  });

  it('writes a field path as words', () => {
    expect(fieldInWords('conductedBy.providerName')).toBe('conducted by: provider name');
  });
});
