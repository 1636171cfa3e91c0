import { Injectable } from '@nestjs/common';
import { REFERRAL } from '@app/contracts';
import { DataSource } from 'typeorm';

/** Message types that count as referrals (a referral expects a `referral-outcome`). */
export const REFERRAL_TYPES = [REFERRAL.type];

export interface Durations {
  count: number;
  /** Median and 90th percentile in milliseconds (percentile_cont: interpolated). */
  p50Ms: number | null;
  p90Ms: number | null;
}

/**
 * The partnership metrics of one agency and message type. Which agency a figure belongs to
 * depends on who is measured (docs/audit.md, "Partnership metrics"): the sender for submission to
 * delivery, referrals and completeness; the recipient for acknowledgements, escalations and
 * MARAC responses. A section is absent when the range has nothing to measure for it.
 */
export interface PartnershipMetricsGroup {
  agency: string;
  messageType: string;
  submissionToDelivery?: Durations;
  deliveryToAcknowledgement?: Durations & { delivered: number };
  acknowledgedBeforeDeadline?: { withDeadline: number; onTime: number; share: number };
  referralToOutcome?: Durations & { referrals: number; share: number };
  referralCompleteness?: { scored: number; mean: number; median: number };
  escalations?: number;
  maracResponses?: { requests: number; responded: number; onTime: number; rate: number };
}

export interface PartnershipMetrics {
  from: string;
  to: string;
  groups: PartnershipMetricsGroup[];
}

type Row = Record<string, string | number | null>;

const UNKNOWN = '(unknown)';
const ms = (later: string, earlier: string) => `extract(epoch FROM ${later} - ${earlier}) * 1000`;
const percentiles = (expression: string) => `
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expression}) AS p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expression}) AS p90`;

/**
 * Each metric is one query over the trail, restricted to events whose starting event occurred in
 * [from, to); "later" events (delivery, acknowledgement, outcome, response) count whenever they
 * happened, so a slow answer still counts as slow rather than vanishing.
 */
const QUERIES = {
  submissionToDelivery: `
    SELECT coalesce(s.sender_agency, '${UNKNOWN}') AS agency,
           coalesce(s.message_type, '${UNKNOWN}') AS type,
           count(*)::int AS n, ${percentiles(ms('d.occurred_at', 's.occurred_at'))}
      FROM audit_record s
      JOIN audit_record d ON d.message_id = s.message_id AND d.action = 'delivered'
     WHERE s.action = 'submitted' AND s.occurred_at >= $1 AND s.occurred_at < $2
     GROUP BY 1, 2`,
  deliveryToAcknowledgement: `
    WITH delivered AS (
      SELECT coalesce(d.recipient_agency, '${UNKNOWN}') AS agency,
             coalesce(d.message_type, '${UNKNOWN}') AS type,
             d.occurred_at AS delivered_at,
             coalesce(d.deadline, (SELECT max(e.deadline) FROM audit_record e
                                    WHERE e.message_id = d.message_id AND e.deadline IS NOT NULL
                                      AND e.recipient_mailbox IS NOT DISTINCT FROM d.recipient_mailbox)) AS deadline,
             (SELECT min(a.occurred_at) FROM audit_record a
               WHERE a.message_id = d.message_id AND a.action = 'acknowledged'
                 AND a.recipient_mailbox IS NOT DISTINCT FROM d.recipient_mailbox) AS acknowledged_at
        FROM audit_record d
       WHERE d.action = 'delivered' AND d.occurred_at >= $1 AND d.occurred_at < $2)
    SELECT agency, type, count(*)::int AS delivered,
           count(acknowledged_at)::int AS n, ${percentiles(ms('acknowledged_at', 'delivered_at'))},
           count(deadline)::int AS with_deadline,
           count(*) FILTER (WHERE acknowledged_at <= deadline)::int AS on_time
      FROM delivered GROUP BY 1, 2`,
  // From the hub's `verified` event: one per referral, its sender's agency from the registry
  // (a node's own `submitted` event names only the node) and the completeness score.
  referrals: `
    WITH referral AS (
      SELECT coalesce(s.sender_agency, '${UNKNOWN}') AS agency, s.message_type AS type,
             s.occurred_at AS submitted_at, s.completeness,
             (SELECT min(o.occurred_at) FROM audit_record o
               WHERE o.action = 'referral-outcome' AND o.correlation_id = s.message_id::text) AS outcome_at
        FROM audit_record s
       WHERE s.action = 'verified' AND s.message_type = ANY($3)
         AND s.occurred_at >= $1 AND s.occurred_at < $2)
    SELECT agency, type, count(*)::int AS referrals,
           count(outcome_at)::int AS n, ${percentiles(ms('outcome_at', 'submitted_at'))},
           count(completeness)::int AS scored, avg(completeness)::float8 AS completeness_mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY completeness) AS completeness_median
      FROM referral GROUP BY 1, 2`,
  escalations: `
    SELECT coalesce(recipient_agency, '${UNKNOWN}') AS agency,
           coalesce(message_type, '${UNKNOWN}') AS type, count(*)::int AS n
      FROM audit_record
     WHERE action = 'escalated' AND occurred_at >= $1 AND occurred_at < $2
     GROUP BY 1, 2`,
  marac: `
    WITH request AS (
      SELECT coalesce(q.recipient_agency, '${UNKNOWN}') AS agency,
             coalesce(q.message_type, '${UNKNOWN}') AS type, q.deadline,
             (SELECT min(r.occurred_at) FROM audit_record r
               WHERE r.action = 'marac-response' AND r.correlation_id = q.message_id::text) AS responded_at
        FROM audit_record q
       WHERE q.action = 'marac-request' AND q.occurred_at >= $1 AND q.occurred_at < $2)
    SELECT agency, type, count(*)::int AS requests, count(responded_at)::int AS responded,
           count(*) FILTER (WHERE responded_at <= deadline)::int AS on_time
      FROM request GROUP BY 1, 2`,
};

const num = (value: string | number | null): number => Number(value);
const maybe = (value: string | number | null): number | null =>
  value === null ? null : Math.round(Number(value));

function durations(row: Row): Durations {
  return { count: num(row.n), p50Ms: maybe(row.p50), p90Ms: maybe(row.p90) };
}

/** Partnership metrics computed from the trail itself, never from any agency's own figures. */
@Injectable()
export class PartnershipMetricsService {
  constructor(private readonly db: DataSource) {}

  async compute(from: string, to: string): Promise<PartnershipMetrics> {
    const range = [from, to];
    const [submission, acknowledgement, referrals, escalations, marac] = (await Promise.all([
      this.db.query(QUERIES.submissionToDelivery, range),
      this.db.query(QUERIES.deliveryToAcknowledgement, range),
      this.db.query(QUERIES.referrals, [...range, REFERRAL_TYPES]),
      this.db.query(QUERIES.escalations, range),
      this.db.query(QUERIES.marac, range),
    ])) as Row[][];

    const groups = new Map<string, PartnershipMetricsGroup>();
    const group = (row: Row) => {
      const key = `${row.agency}\u0000${row.type}`;
      let found = groups.get(key);
      if (!found) {
        found = { agency: String(row.agency), messageType: String(row.type) };
        groups.set(key, found);
      }
      return found;
    };
    for (const row of submission) group(row).submissionToDelivery = durations(row);
    for (const row of acknowledgement) {
      const target = group(row);
      target.deliveryToAcknowledgement = { delivered: num(row.delivered), ...durations(row) };
      if (num(row.with_deadline) > 0) {
        target.acknowledgedBeforeDeadline = {
          withDeadline: num(row.with_deadline),
          onTime: num(row.on_time),
          share: num(row.on_time) / num(row.with_deadline),
        };
      }
    }
    for (const row of referrals) {
      const target = group(row);
      target.referralToOutcome = {
        referrals: num(row.referrals),
        share: num(row.n) / num(row.referrals),
        ...durations(row),
      };
      if (num(row.scored) > 0) {
        target.referralCompleteness = {
          scored: num(row.scored),
          mean: num(row.completeness_mean),
          median: num(row.completeness_median),
        };
      }
    }
    for (const row of escalations) group(row).escalations = num(row.n);
    for (const row of marac) {
      group(row).maracResponses = {
        requests: num(row.requests),
        responded: num(row.responded),
        onTime: num(row.on_time),
        rate: num(row.responded) / num(row.requests),
      };
    }
    const sorted = [...groups.values()].sort(
      (a, b) => a.agency.localeCompare(b.agency) || a.messageType.localeCompare(b.messageType),
    );
    return { from, to, groups: sorted };
  }
}
