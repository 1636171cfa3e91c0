/** Kinds of agency the sharing policy distinguishes. */
export const AgencyKinds = [
  'police',
  'health',
  'education',
  'social-care',
  'marac',
  'housing',
  'other',
] as const;
export type AgencyKind = (typeof AgencyKinds)[number];

/** Where consent to share stands; who gave or refused it and when travel with the message. */
export const ConsentPositions = ['given', 'refused', 'not-sought', 'withdrawn'] as const;
export type ConsentPosition = (typeof ConsentPositions)[number];

/**
 * The lawful bases the policy knows, as codes:
 * - UK GDPR Art. 6(1)(e) public task with Art. 9(2)(g) substantial public interest;
 * - DPA 2018 Sch. 1 para. 18, safeguarding of children and individuals at risk (most agencies);
 * - DPA 2018 Sch. 8 para. 4, the same condition for law-enforcement processing (police);
 * - Children Act 1989 s.47 enquiries.
 */
export const LawfulBases = [
  'ukgdpr-6-1-e-9-2-g',
  'dpa2018-sch1-para18',
  'dpa2018-sch8-para4',
  'children-act-1989-s47',
] as const;
export type LawfulBasis = (typeof LawfulBases)[number];

/** Why sharing goes ahead without consent: the conditions of the DPA 2018 safeguarding paragraphs. */
export const SafeguardingJustifications = [
  'consent-cannot-be-given',
  'consent-cannot-reasonably-be-obtained',
  'asking-would-put-someone-at-risk',
  's47-enquiry',
] as const;
export type SafeguardingJustification = (typeof SafeguardingJustifications)[number];

export const RiskLevels = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof RiskLevels)[number];

/** What the policy is asked: may this sender share this message with this recipient? */
export interface SharingRequest {
  messageType: string;
  senderKind: AgencyKind;
  recipientKind: AgencyKind;
  consent: ConsentPosition;
  lawfulBasis: LawfulBasis;
  /** The stated safeguarding justification for sharing without consent, if any. */
  safeguardingJustification?: SafeguardingJustification | null;
  risk: RiskLevel;
}

/** One rule of the policy file. Absent conditions match anything. */
export interface SharingRule {
  id: string;
  /** A message type, or `*` for every type. */
  messageType: string;
  senderKinds?: AgencyKind[];
  recipientKinds?: AgencyKind[];
  consent?: ConsentPosition[];
  lawfulBases?: LawfulBasis[];
  /** true: only with a stated safeguarding justification; false: only without one. */
  justified?: boolean;
  minimumRisk?: RiskLevel;
  effect: 'allow' | 'refuse';
  /** Fields of the message the recipient may see (dotted paths); absent means the whole message. */
  fields?: string[];
  reason: string;
}

export interface SharingPolicy {
  version: string;
  rules: SharingRule[];
}

export type SharingDecision =
  | { effect: 'allow'; ruleId: string; policyVersion: string; fields?: string[]; reason: string }
  | { effect: 'refuse'; ruleId: string; policyVersion: string; reason: string };
