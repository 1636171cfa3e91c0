/** Why a MARAC referral is refused: by the referrer's node before anything is sent, or by the MARAC. */
export const MaracReferralRefusalCodes = ['CRITERION_NOT_MET', 'INVALID_REFERRAL'] as const;
export type MaracReferralRefusalCode = (typeof MaracReferralRefusalCodes)[number];

/**
 * A MARAC referral that fails its DASH or criterion rules, naming the field to fix and the rule,
 * never a value. Thrown by `assessDashRisk` on the referring node (before it signs) and in the MARAC
 * service (a coordinator's entry, and again on what arrives through the hub).
 */
export class MaracReferralRefusal extends Error {
  constructor(
    readonly code: MaracReferralRefusalCode,
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'MaracReferralRefusal';
  }
}

/** The SafeLives DASH risk identification checklist has 24 questions. */
export const DASH_QUESTIONS = 24;
/** "Visible high risk": 14 or more yes answers. */
export const VISIBLE_HIGH_RISK_THRESHOLD = 14;
/** "Potential escalation": 3 or more police-recorded incidents in the last 12 months. */
export const POTENTIAL_ESCALATION_THRESHOLD = 3;

export const DashAnswers = ['yes', 'no', 'not-known'] as const;
export type DashAnswer = (typeof DashAnswers)[number];

export const MaracCriteria = [
  'visible-high-risk',
  'professional-judgement',
  'potential-escalation',
  'repeat',
] as const;
export type MaracCriterion = (typeof MaracCriteria)[number];

export interface DashRiskInput {
  criterion: MaracCriterion;
  dashAnswers?: DashAnswer[];
  /** Only when the answers are missing, with the reason why. */
  dashTotal?: number;
  dashAnswersMissingReason?: string;
  professionalJudgementReason?: string;
  incidentsLast12Months?: number;
}

export interface DashRiskAssessment {
  dashTotal: number;
  /** False when the total was given without the answers. */
  dashTotalComputed: boolean;
}

/**
 * The DASH total and the criterion checks that need no history. Each refusal names the field
 * a referrer has to fix. `repeat` is checked against the case history by the MARAC service.
 */
export function assessDashRisk(input: DashRiskInput): DashRiskAssessment {
  const total = dashTotal(input);
  switch (input.criterion) {
    case 'visible-high-risk':
      if (total.dashTotal < VISIBLE_HIGH_RISK_THRESHOLD) {
        throw new MaracReferralRefusal(
          'CRITERION_NOT_MET',
          input.dashAnswers ? 'dashAnswers' : 'dashTotal',
          `visible-high-risk needs ${VISIBLE_HIGH_RISK_THRESHOLD} or more yes answers; the DASH total is ${total.dashTotal}`,
        );
      }
      break;
    case 'professional-judgement':
      if (!input.professionalJudgementReason?.trim()) {
        throw new MaracReferralRefusal(
          'CRITERION_NOT_MET',
          'professionalJudgementReason',
          'professional-judgement needs the reason for the judgement',
        );
      }
      break;
    case 'potential-escalation':
      if (
        input.incidentsLast12Months === undefined ||
        input.incidentsLast12Months < POTENTIAL_ESCALATION_THRESHOLD
      ) {
        throw new MaracReferralRefusal(
          'CRITERION_NOT_MET',
          'incidentsLast12Months',
          `potential-escalation needs ${POTENTIAL_ESCALATION_THRESHOLD} or more incidents in the last 12 months`,
        );
      }
      break;
    case 'repeat':
      break;
  }
  return total;
}

function dashTotal(input: DashRiskInput): DashRiskAssessment {
  if (input.dashAnswers) {
    if (input.dashTotal !== undefined) {
      throw new MaracReferralRefusal(
        'INVALID_REFERRAL',
        'dashTotal',
        'give either dashAnswers or dashTotal, not both: the total is computed from the answers',
      );
    }
    if (input.dashAnswers.length !== DASH_QUESTIONS) {
      throw new MaracReferralRefusal(
        'INVALID_REFERRAL',
        'dashAnswers',
        `must answer all ${DASH_QUESTIONS} questions (yes, no or not-known)`,
      );
    }
    return {
      dashTotal: input.dashAnswers.filter((answer) => answer === 'yes').length,
      dashTotalComputed: true,
    };
  }
  if (input.dashTotal === undefined) {
    throw new MaracReferralRefusal(
      'INVALID_REFERRAL',
      'dashAnswers',
      'give the DASH answers, or a dashTotal with dashAnswersMissingReason',
    );
  }
  if (!input.dashAnswersMissingReason?.trim()) {
    throw new MaracReferralRefusal(
      'INVALID_REFERRAL',
      'dashAnswersMissingReason',
      'a DASH total without the answers needs the reason the answers are missing',
    );
  }
  return { dashTotal: input.dashTotal, dashTotalComputed: false };
}
