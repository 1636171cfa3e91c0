import { AuditDecision } from '@app/contracts';
import {
  AgencyKind,
  ConsentPosition,
  LawfulBasis,
  RiskLevel,
  SafeguardingJustification,
  SharingDecision,
  SharingRequest,
} from '@app/policy';

/** The exchange's message types are namespaced; the policy file names them without it. */
const TYPE_PREFIX = 'uk.safeguarding.exchange.';

export function policyMessageType(type: string): string {
  return type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : type;
}

/** What every shareable submission states about consent, basis and risk. */
export interface SharingStatement {
  consent: { position: ConsentPosition };
  lawfulBasis: LawfulBasis;
  safeguardingJustification?: SafeguardingJustification;
  familyInformed: boolean;
  riskLevel: RiskLevel;
}

export function sharingRequest(
  type: string,
  statement: SharingStatement,
  senderKind: AgencyKind,
  recipientKind: AgencyKind,
): SharingRequest {
  return {
    messageType: policyMessageType(type),
    senderKind,
    recipientKind,
    consent: statement.consent.position,
    lawfulBasis: statement.lawfulBasis,
    safeguardingJustification: statement.safeguardingJustification ?? null,
    risk: statement.riskLevel,
  };
}

/**
 * What a delivery rests on: consent when it was given, otherwise the stated justification (the
 * policy refuses anything with neither). A withdrawal of consent reaches only the first kind.
 */
export function sharedUnder(statement: SharingStatement): 'consent' | 'justification' {
  return statement.consent.position === 'given' ? 'consent' : 'justification';
}

/** The decision as the audit trail records it. */
export function auditDecision(decision: SharingDecision): AuditDecision {
  if (decision.effect === 'refuse') return 'refuse';
  return decision.fields ? 'allow-with-fields' : 'allow';
}

/**
 * The audit `detail` of a policy decision: whether the family was told and what the sharing
 * rests on. Codes only, never personal data.
 */
export function decisionDetail(statement: SharingStatement, decision: SharingDecision): string {
  const basis =
    decision.effect === 'refuse' ? 'not shared' : `shared under ${sharedUnder(statement)}`;
  return `family informed: ${statement.familyInformed ? 'yes' : 'no'}; ${basis}; basis ${statement.lawfulBasis}; consent ${statement.consent.position}`;
}
