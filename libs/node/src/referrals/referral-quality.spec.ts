import { assessReferral } from './referral-quality';

const complete = {
  child: {
    name: 'A',
    dateOfBirth: '2015-01-01',
    gender: 'f',
    address: 'x',
    schoolOrSetting: 'y',
  },
  family: [{ name: 'B', relationship: 'mother' }],
  concerns: 'c',
  actionsTaken: 'a',
  voiceOfChild: 'v',
  referrerContact: { name: 'R', role: 'DSL' },
  riskLevel: 'medium',
  consent: { position: 'given' },
  lawfulBasis: 'dpa2018-sch1-para18',
  familyInformed: false,
};

describe('assessReferral', () => {
  it('scores a complete referral 100 and misses nothing', () => {
    expect(assessReferral(complete)).toEqual({
      missingRequired: [],
      missingRecommended: [],
      completeness: 100,
    });
  });

  it('names every missing required field; false is a value, blank is not', () => {
    const quality = assessReferral({ child: { name: ' ' }, familyInformed: false });
    expect(quality.missingRequired).toEqual([
      'child.name',
      'child.dateOfBirth',
      'concerns',
      'riskLevel',
      'consent.position',
      'lawfulBasis',
    ]);
    expect(quality.completeness).toBe(0);
  });

  it('scores the recommended share', () => {
    const partial = {
      ...complete,
      family: [],
      voiceOfChild: undefined,
      referrerContact: undefined,
    };
    expect(assessReferral(partial)).toMatchObject({
      missingRecommended: ['family', 'voiceOfChild', 'referrerContact'],
      completeness: 57,
    });
  });
});
