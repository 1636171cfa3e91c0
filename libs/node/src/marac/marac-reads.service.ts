import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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

export interface MaracMailboxWork {
  requests: {
    requestId: string;
    caseId: string;
    messageId: string;
    dueAt: string;
    answered: boolean;
    response: MaracSentSummary | null;
  }[];
  actions: {
    actionId: string;
    caseId: string;
    messageId: string;
    dueAt: string;
    state: string;
    acknowledgedAt: string | null;
  }[];
}

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value ? new Date(value as Date).toISOString() : null);

function sent(row: Row): MaracSentSummary {
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

function referralSummary(row: Row): MaracReferralSummary {
  const base = sent(row);
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

/**
 * What a node knows of its MARAC work. Every query names its owner (the agency for referrals,
 * the mailbox for requests and actions), so none sees another's rows. Ids, times and codes only:
 * the content is in the mailbox's notifications (decrypted on read).
 */
@Injectable()
export class MaracReads {
  constructor(private readonly dataSource: DataSource) {}

  async referrals(agencyId: string): Promise<MaracReferralSummary[]> {
    const rows = (await this.dataSource.query(
      `SELECT message_id, kind, ref_id, mailbox_id, sent_at, delivered_at, refused_at, refusal_code,
              refusal_reason, decision, decision_message_id, decided_at, decision_case_id,
              decision_meeting_date::text AS decision_meeting_date, decision_meeting_at,
              decision_code, decision_reason
         FROM marac_sent WHERE kind = 'marac-referral' AND agency_id = $1
        ORDER BY sent_at DESC LIMIT 500`,
      [agencyId],
    )) as Row[];
    return rows.map(referralSummary);
  }

  async mailbox(mailboxId: string): Promise<MaracMailboxWork> {
    const requests = (await this.dataSource.query(
      // The answer's columns by name: a column both tables have must not shadow the request's.
      `SELECT r.request_id, r.case_id, r.message_id AS request_message_id, r.due_at,
              r.response_message_id, s.message_id, s.kind, s.ref_id, s.sent_at, s.delivered_at,
              s.refused_at, s.refusal_code, s.refusal_reason
         FROM received_marac_request r LEFT JOIN marac_sent s ON s.message_id = r.response_message_id
        WHERE r.mailbox_id = $1 ORDER BY r.received_at DESC LIMIT 500`,
      [mailboxId],
    )) as Row[];
    const actions = (await this.dataSource.query(
      `SELECT action_id, case_id, message_id, due_at, state, acknowledged_at
         FROM received_marac_action WHERE mailbox_id = $1 ORDER BY received_at DESC LIMIT 500`,
      [mailboxId],
    )) as Row[];
    return {
      requests: requests.map((row) => ({
        requestId: row.request_id as string,
        caseId: row.case_id as string,
        messageId: row.request_message_id as string,
        dueAt: iso(row.due_at)!,
        answered: row.response_message_id !== null,
        response: row.response_message_id ? sent(row) : null,
      })),
      actions: actions.map((row) => ({
        actionId: row.action_id as string,
        caseId: row.case_id as string,
        messageId: row.message_id as string,
        dueAt: iso(row.due_at)!,
        state: row.state as string,
        acknowledgedAt: iso(row.acknowledged_at),
      })),
    };
  }
}
