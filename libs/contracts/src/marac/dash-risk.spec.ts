import { assessDashRisk, DashAnswer, MaracReferralRefusal } from './dash-risk';

const answers = (yes: number): DashAnswer[] =>
  Array.from({ length: 24 }, (_, index) => (index < yes ? 'yes' : index % 2 ? 'no' : 'not-known'));

function refusal(run: () => unknown): MaracReferralRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof MaracReferralRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('assessDashRisk (MARAC referral DASH and criterion rules)', () => {
  it('computes the DASH total from the 24 answers', () => {
    expect(assessDashRisk({ criterion: 'visible-high-risk', dashAnswers: answers(15) })).toEqual({
      dashTotal: 15,
      dashTotalComputed: true,
    });
  });

  it('accepts exactly 14 yes answers as visible high risk and refuses 13, naming the field', () => {
    expect(
      assessDashRisk({ criterion: 'visible-high-risk', dashAnswers: answers(14) }).dashTotal,
    ).toBe(14);
    const error = refusal(() =>
      assessDashRisk({ criterion: 'visible-high-risk', dashAnswers: answers(13) }),
    );
    expect(error.code).toBe('CRITERION_NOT_MET');
    expect(error.field).toBe('dashAnswers');
  });

  it('refuses a partial checklist', () => {
    const error = refusal(() =>
      assessDashRisk({ criterion: 'repeat', dashAnswers: answers(5).slice(0, 20) }),
    );
    expect(error.field).toBe('dashAnswers');
  });

  it('takes a total only with the reason the answers are missing', () => {
    expect(
      refusal(() => assessDashRisk({ criterion: 'visible-high-risk', dashTotal: 16 })).field,
    ).toBe('dashAnswersMissingReason');
    expect(
      assessDashRisk({
        criterion: 'visible-high-risk',
        dashTotal: 16,
        dashAnswersMissingReason: 'victim declined to complete the checklist',
      }),
    ).toEqual({ dashTotal: 16, dashTotalComputed: false });
  });

  it('refuses answers and a total together', () => {
    expect(
      refusal(() => assessDashRisk({ criterion: 'repeat', dashAnswers: answers(3), dashTotal: 3 }))
        .field,
    ).toBe('dashTotal');
  });

  it('needs a reason for professional judgement', () => {
    expect(
      refusal(() =>
        assessDashRisk({
          criterion: 'professional-judgement',
          dashAnswers: answers(4),
          professionalJudgementReason: '  ',
        }),
      ).field,
    ).toBe('professionalJudgementReason');
  });

  it('needs 3 or more incidents for potential escalation', () => {
    expect(
      refusal(() =>
        assessDashRisk({
          criterion: 'potential-escalation',
          dashAnswers: answers(4),
          incidentsLast12Months: 2,
        }),
      ).field,
    ).toBe('incidentsLast12Months');
    expect(
      assessDashRisk({
        criterion: 'potential-escalation',
        dashAnswers: answers(4),
        incidentsLast12Months: 3,
      }).dashTotal,
    ).toBe(4);
  });
});
