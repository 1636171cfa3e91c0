/**
 * A recipient's standing as the sender sees it. `routed`: the hub said it sends the message
 * there (only journeys whose hub answer names the recipients, e.g. domestic abuse), no receipt
 * yet.
 */
export const RecipientStatuses = [
  'routed',
  'delivered',
  'acknowledged',
  'overdue',
  'sharing-refused',
  'rejected',
] as const;
export type RecipientStatus = (typeof RecipientStatuses)[number];

/** The columns a sender's per-recipient row shares (missing episodes, domestic abuse incidents). */
export interface RecipientFacts {
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  overdue_at: Date | null;
  sharing_refused_at: Date | null;
  sharing_rule_id: string | null;
  sharing_policy_version: string | null;
  sharing_refusal_reason: string | null;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * The most telling status: a refusal (the hub's rejection, then the policy's) first; then
 * acknowledged — an acknowledgement after the escalation still counts — overdue, delivered.
 */
export function recipientStatusOf(row: RecipientFacts): RecipientStatus {
  if (row.rejected_at) return 'rejected';
  if (row.sharing_refused_at) return 'sharing-refused';
  if (row.acknowledged_at) return 'acknowledged';
  if (row.overdue_at) return 'overdue';
  if (row.delivered_at) return 'delivered';
  return 'routed';
}

/** The row's times and refusals as the sender's API shows them (null where nothing happened). */
/** A recipient's times and refusals as the sender's status endpoints show them. */
export interface RecipientFactsView {
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  sharingRefusal: {
    ruleId: string | null;
    policyVersion: string | null;
    reason: string | null;
    at: string | null;
  } | null;
  rejection: { code: string | null; reason: string | null; at: string | null } | null;
}

export function recipientFactsView(row: RecipientFacts): RecipientFactsView {
  return {
    deliveredAt: iso(row.delivered_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    overdueAt: iso(row.overdue_at),
    sharingRefusal: row.sharing_refused_at
      ? {
          ruleId: row.sharing_rule_id,
          policyVersion: row.sharing_policy_version,
          reason: row.sharing_refusal_reason,
          at: iso(row.sharing_refused_at),
        }
      : null,
    rejection: row.rejected_at
      ? { code: row.rejection_code, reason: row.rejection_reason, at: iso(row.rejected_at) }
      : null,
  };
}
