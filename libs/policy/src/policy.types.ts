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

export const ConsentPositions = ['given', 'refused', 'not-sought', 'withdrawn'] as const;
export type ConsentPosition = (typeof ConsentPositions)[number];

export const RiskLevels = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof RiskLevels)[number];

/** What the policy is asked: may this sender share this message with this recipient? */
export interface SharingRequest {
  messageType: string;
  senderKind: AgencyKind;
  recipientKind: AgencyKind;
  consent: ConsentPosition;
  lawfulBasis: string;
  /** A stated safeguarding justification for sharing without consent. */
  safeguardingJustification: boolean;
  risk: RiskLevel;
}

/** One rule of the policy file. Absent conditions match anything. */
export interface SharingRule {
  id: string;
  messageType: string;
  senderKinds?: AgencyKind[];
  recipientKinds?: AgencyKind[];
  consent?: ConsentPosition[];
  lawfulBases?: string[];
  requiresJustification?: boolean;
  minimumRisk?: RiskLevel;
  effect: 'allow' | 'refuse';
  /** Fields of the message the recipient may see; absent means the whole message. */
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
