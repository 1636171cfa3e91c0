import {
  ConsentPositionValues,
  ExploitationIndicators,
  IncidentRiskLevels,
  LawfulBases,
  ReferralOutcomes,
  ReturnHomeInterviewers,
  ReturnHomeInterviewOutcomes,
  SafeguardingJustificationValues,
} from '@app/contracts';

/** One option of a radios or checkboxes question: the code the API takes and its words. */
export interface Choice {
  value: string;
  text: string;
}

const words = <T extends string>(codes: readonly T[], labels: Record<T, string>): Choice[] =>
  codes.map((value) => ({ value, text: labels[value] }));

/** What the MASH may decide on a referral (Working Together to Safeguard Children). */
export const REFERRAL_DECISIONS = words(ReferralOutcomes, {
  'no-further-action': 'No further action',
  'early-help': 'Early help',
  'child-in-need-assessment': 'Child in need assessment (section 17)',
  'section-47-enquiry': 'Section 47 enquiry',
  'strategy-discussion': 'Strategy discussion',
  'child-protection-conference': 'Initial child protection conference',
});

export const RETURN_HOME_INTERVIEW_OUTCOMES = words(ReturnHomeInterviewOutcomes, {
  held: 'The interview was held',
  declined: 'The child declined the interview',
  'not-possible': 'An interview was not possible',
});

export const RETURN_HOME_INTERVIEWERS = words(ReturnHomeInterviewers, {
  'social-care': 'Children’s social care',
  'commissioned-provider': 'A commissioned provider',
});

export const EXPLOITATION_INDICATORS = words(ExploitationIndicators, {
  'child-sexual-exploitation': 'Child sexual exploitation',
  'child-criminal-exploitation': 'Child criminal exploitation',
  'county-lines': 'County lines',
  trafficking: 'Trafficking',
  other: 'Other exploitation',
});

export const LAWFUL_BASES = words(LawfulBases, {
  'ukgdpr-6-1-e-9-2-g': 'UK GDPR Article 6(1)(e) public task with Article 9(2)(g)',
  'dpa2018-sch1-para18': 'Data Protection Act 2018, Schedule 1 paragraph 18 (safeguarding)',
  'dpa2018-sch8-para4': 'Data Protection Act 2018, Schedule 8 paragraph 4 (law enforcement)',
  'children-act-1989-s47': 'Children Act 1989, section 47 enquiry',
});

/** The words for a code, or the code itself when the list does not hold it. */
export function choiceText(choices: Choice[], value: string | undefined | null): string {
  return choices.find((choice) => choice.value === value)?.text ?? value ?? '';
}

export const RISK_LEVELS = words(IncidentRiskLevels, {
  standard: 'Standard',
  medium: 'Medium',
  high: 'High',
});

export const CONSENT_POSITIONS = words(ConsentPositionValues, {
  given: 'Consent was given',
  refused: 'Consent was refused',
  'not-sought': 'Consent was not sought',
  withdrawn: 'Consent was withdrawn',
});

export const SAFEGUARDING_JUSTIFICATIONS = words(SafeguardingJustificationValues, {
  'consent-cannot-be-given': 'Consent cannot be given',
  'consent-cannot-reasonably-be-obtained': 'Consent cannot reasonably be obtained',
  'asking-would-put-someone-at-risk': 'Asking would put someone at risk',
  's47-enquiry': 'A section 47 enquiry is under way',
});

export const YES_NO: Choice[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

/** The option lists the pages' forms show (a Nunjucks global). */
export const VIEW_CHOICES = {
  referralDecisions: REFERRAL_DECISIONS,
  returnHomeInterviewOutcomes: RETURN_HOME_INTERVIEW_OUTCOMES,
  returnHomeInterviewers: RETURN_HOME_INTERVIEWERS,
  exploitationIndicators: EXPLOITATION_INDICATORS,
  lawfulBases: LAWFUL_BASES,
  riskLevels: RISK_LEVELS,
  consentPositions: CONSENT_POSITIONS,
  safeguardingJustifications: SAFEGUARDING_JUSTIFICATIONS,
  yesNo: YES_NO,
};
