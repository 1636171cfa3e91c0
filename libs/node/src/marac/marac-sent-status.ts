/** What a node shows of a MARAC message it sent, from its `marac_sent` row: ids, codes, times. */
export type MaracSentStatus = 'sent' | 'delivered' | 'refused';

export interface MaracSentSummary {
  messageId: string;
  kind: string;
  refId: string;
  status: MaracSentStatus;
  sentAt: string;
  deliveredAt: string | null;
  refusal: { code: string; reason: string; at: string } | null;
}

/**
 * A referral's status: `sent`, `delivered` to the MARAC, then the MARAC's decision — `listed`
 * (with the case and meeting) or `refused` (by the MARAC, or by the exchange before it got there:
 * `refusal.by` says which).
 */
export type MaracReferralStatus = 'sent' | 'delivered' | 'listed' | 'refused';

export interface MaracReferralSummary extends Omit<MaracSentSummary, 'status' | 'refusal'> {
  status: MaracReferralStatus;
  /** The mailbox that hears the MARAC's decision (its inbox holds the decision itself). */
  referrerMailboxId: string | null;
  listing: {
    caseId: string;
    meetingDate: string;
    meetingAt: string | null;
    decidedAt: string;
  } | null;
  refusal: { by: 'exchange' | 'marac'; code: string; reason: string; at: string } | null;
  /** The message id of the MARAC's decision in the referrer mailbox's inbox. */
  decisionMessageId: string | null;
}

export type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as Date).toISOString() : null);

export function sentSummary(row: Row): MaracSentSummary {
  return {
    messageId: row.message_id as string,
    kind: row.kind as string,
    refId: row.ref_id as string,
    status: row.refused_at ? 'refused' : row.delivered_at ? 'delivered' : 'sent',
    sentAt: iso(row.sent_at)!,
    deliveredAt: iso(row.delivered_at),
    refusal: row.refused_at
      ? {
          code: row.refusal_code as string,
          reason: row.refusal_reason as string,
          at: iso(row.refused_at)!,
        }
      : null,
  };
}

/**
 * A referral's status from its row. A refusal wins (the exchange's, which means the MARAC never
 * saw it, before the MARAC's own), then the MARAC's listing, then the hub's delivery receipt:
 * the decision and the forwarded receipt travel separately and may arrive in either order.
 */
export function referralSummary(row: Row): MaracReferralSummary {
  const base = sentSummary(row);
  const exchangeRefusal = base.refusal ? { by: 'exchange' as const, ...base.refusal } : null;
  const maracRefusal =
    row.decision === 'refused'
      ? {
          by: 'marac' as const,
          code: row.decision_code as string,
          reason: row.decision_reason as string,
          at: iso(row.decided_at)!,
        }
      : null;
  const listing =
    row.decision === 'listed'
      ? {
          caseId: row.decision_case_id as string,
          meetingDate: row.decision_meeting_date as string,
          meetingAt: iso(row.decision_meeting_at),
          decidedAt: iso(row.decided_at)!,
        }
      : null;
  const refusal = exchangeRefusal ?? maracRefusal;
  return {
    ...base,
    status: refusal ? 'refused' : listing ? 'listed' : base.status,
    referrerMailboxId: (row.mailbox_id as string | null) ?? null,
    listing,
    refusal,
    decisionMessageId: (row.decision_message_id as string | null) ?? null,
  };
}
