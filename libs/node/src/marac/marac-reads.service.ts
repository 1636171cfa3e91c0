import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import {
  MaracReferralSummary,
  MaracSentSummary,
  referralSummary,
  sentSummary,
} from './marac-sent-status';

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
        response: row.response_message_id ? sentSummary(row) : null,
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
