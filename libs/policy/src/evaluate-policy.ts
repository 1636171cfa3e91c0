import {
  RiskLevels,
  SharingDecision,
  SharingPolicy,
  SharingRequest,
  SharingRule,
} from './policy.types';

/** The rule id reported when no rule matched: nothing is shared without a rule that says so. */
export const NO_MATCHING_RULE = 'default-refuse';

function matches(rule: SharingRule, request: SharingRequest): boolean {
  return (
    (rule.messageType === '*' || rule.messageType === request.messageType) &&
    (!rule.senderKinds || rule.senderKinds.includes(request.senderKind)) &&
    (!rule.recipientKinds || rule.recipientKinds.includes(request.recipientKind)) &&
    (!rule.consent || rule.consent.includes(request.consent)) &&
    (!rule.lawfulBases || rule.lawfulBases.includes(request.lawfulBasis)) &&
    (rule.justified === undefined ||
      rule.justified === Boolean(request.safeguardingJustification)) &&
    (!rule.minimumRisk || RiskLevels.indexOf(request.risk) >= RiskLevels.indexOf(rule.minimumRisk))
  );
}

/**
 * Decides one sharing request: the first matching rule wins, and without a match the answer
 * is a refusal. Pure: the same policy and request always give the same decision.
 */
export function evaluatePolicy(policy: SharingPolicy, request: SharingRequest): SharingDecision {
  const rule = policy.rules.find((candidate) => matches(candidate, request));
  if (!rule) {
    return {
      effect: 'refuse',
      ruleId: NO_MATCHING_RULE,
      policyVersion: policy.version,
      reason: 'no rule allows this message type between these agencies on this basis',
    };
  }
  if (rule.effect === 'refuse') {
    return {
      effect: 'refuse',
      ruleId: rule.id,
      policyVersion: policy.version,
      reason: rule.reason,
    };
  }
  return {
    effect: 'allow',
    ruleId: rule.id,
    policyVersion: policy.version,
    fields: rule.fields,
    reason: rule.reason,
  };
}
