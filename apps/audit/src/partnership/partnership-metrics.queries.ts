/**
 * The partnership metrics as SQL over `audit_record`, one statement per figure family, each set
 * based (the trail is never read into the process). docs/audit.md, "Partnership metrics", says
 * what each figure means; this file is how the trail's events are joined to get it.
 *
 * Each event a step starts from is found by the `(action, occurred_at)` index; its later events
 * by one lateral aggregate over the `message_id` or `correlation_id` index, with the action in a
 * FILTER: a bare `min()` there may be planned as a walk of the action/time index instead.
 *
 * Parameters: $1 from, $2 to (the range), then per statement as noted.
 */

import { asUuid, HUB_ACTOR } from '../trail/trail-sql';

/** How a figure names an agency or type the trail does not give. */
export const UNKNOWN = '(unknown)';

const ms = (later: string, earlier: string) => `extract(epoch FROM ${later} - ${earlier}) * 1000`;
/**
 * The upper bounds (ms) of the distribution's time bands: under 10 s, under 1 min, 10 min, 1 h,
 * 4 h, 1 day, 3 days, and a last band for longer. Fixed bands, so the counts of several groups
 * add up (percentiles do not).
 */
export const DISTRIBUTION_BOUNDS_MS = [
  10_000, 60_000, 600_000, 3_600_000, 14_400_000, 86_400_000, 259_200_000,
] as const;

/**
 * The band counts of an expression, columns b0 … b7; a null expression counts in none, so the
 * bands add up to the percentiles' count.
 */
const bands = (expression: string) =>
  [
    ...DISTRIBUTION_BOUNDS_MS.map(
      (bound, index) =>
        `count(*) FILTER (WHERE ${index === 0 ? '' : `${expression} >= ${DISTRIBUTION_BOUNDS_MS[index - 1]} AND `}${expression} < ${bound})::int AS b${index}`,
    ),
    `count(*) FILTER (WHERE ${expression} >= ${DISTRIBUTION_BOUNDS_MS.at(-1)})::int AS b${DISTRIBUTION_BOUNDS_MS.length}`,
  ].join(',\n  ');

const percentiles = (expression: string) => `
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expression}) AS p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${expression}) AS p90,
  ${bands(expression)}`;

/**
 * One row per delivery the hub routed in the range: the hub's own event for it (actor hub, one
 * of the delivery actions in $3, with the policy's decision; messageId is the delivery's id).
 * It is the only event that names both agencies from the registry: the recipient node's
 * `delivered` and `acknowledged` and the hub's `escalated` name a mailbox at most. The type is
 * the submission's, the view's name without `-view`. The deadline is the acknowledgement's.
 */
const DELIVERY = `
  delivery AS (
    SELECT r.message_id AS id, r.correlation_id, r.sender_node, r.deadline,
           coalesce(r.sender_agency, '${UNKNOWN}') AS sender_agency,
           coalesce(r.recipient_agency, '${UNKNOWN}') AS recipient_agency,
           coalesce(regexp_replace(r.message_type, '-view$', ''), '${UNKNOWN}') AS type
      FROM audit_record r
     WHERE r.action = ANY($3) AND r.actor = '${HUB_ACTOR}' AND r.decision IS NOT NULL
       AND r.message_id IS NOT NULL AND r.occurred_at >= $1 AND r.occurred_at < $2)`;

export const PARTNERSHIP_QUERIES = {
  /**
   * By sender agency. A delivery's submission is the message its routing event correlates, if
   * the hub verified that message with the delivered view's type (a reply's routing event names
   * the message it answers, of another type: replies are not measured here). From the sending
   * node's first event about its submission to the recipient node's first `delivered`.
   * $3 delivery actions.
   */
  submissionToDelivery: `
    WITH ${DELIVERY},
    timed AS (
      SELECT d.sender_agency AS agency, d.type, s.submitted_at, e.delivered_at
        FROM delivery d
        JOIN audit_record v ON v.message_id = ${asUuid('d.correlation_id')}
                           AND v.action = 'verified' AND v.actor = '${HUB_ACTOR}'
                           AND v.message_type = d.type AND v.sender_node = d.sender_node
        CROSS JOIN LATERAL (
          SELECT min(x.occurred_at) FILTER (WHERE x.actor = v.sender_node) AS submitted_at
            FROM audit_record x WHERE x.message_id = v.message_id) s
        CROSS JOIN LATERAL (
          SELECT min(x.occurred_at) FILTER (WHERE x.action = 'delivered') AS delivered_at
            FROM audit_record x WHERE x.message_id = d.id) e)
    SELECT agency, type, count(*)::int AS n, ${percentiles(ms('delivered_at', 'submitted_at'))}
      FROM timed WHERE submitted_at IS NOT NULL AND delivered_at IS NOT NULL
     GROUP BY 1, 2`,

  /**
   * By recipient agency: the delivery's first `delivered` and first acknowledgement (the
   * mailbox's `acknowledged` of the delivery id, or a node's `acknowledged` correlating it, as a
   * MARAC action's owner sends; never the hub's routing of an acknowledgement, which carries a
   * decision), its acknowledgement deadline unless a later report superseded it, and the hub's
   * escalations of its deadlines (the one of the acknowledgement deadline carries its due time).
   * A deadline still ahead of $4 (now) and neither met nor escalated is pending.
   * $3 delivery actions.
   */
  deliveries: `
    WITH ${DELIVERY},
    later AS (
      SELECT d.recipient_agency AS agency, d.type,
             CASE WHEN NOT e.superseded THEN d.deadline END AS deadline,
             e.delivered_at, least(e.acknowledged_at, c.acknowledged_at) AS acknowledged_at,
             e.escalations, e.acknowledgement_escalated
        FROM delivery d
        CROSS JOIN LATERAL (
          SELECT min(x.occurred_at) FILTER (WHERE x.action = 'delivered') AS delivered_at,
                 min(x.occurred_at) FILTER (
                   WHERE x.action = 'acknowledged' AND x.decision IS NULL) AS acknowledged_at,
                 count(*) FILTER (
                   WHERE x.action = 'escalated' AND x.actor = '${HUB_ACTOR}') AS escalations,
                 coalesce(bool_or(x.action = 'escalated' AND x.actor = '${HUB_ACTOR}'
                                  AND x.deadline = d.deadline), false) AS acknowledgement_escalated,
                 coalesce(bool_or(x.action = 'superseded'), false) AS superseded
            FROM audit_record x WHERE x.message_id = d.id) e
        CROSS JOIN LATERAL (
          SELECT min(y.occurred_at) AS acknowledged_at FROM audit_record y
           WHERE y.correlation_id = d.id::text AND y.action = 'acknowledged'
             AND y.decision IS NULL) c)
    SELECT agency, type,
           count(delivered_at)::int AS delivered,
           count(acknowledged_at) FILTER (WHERE delivered_at IS NOT NULL)::int AS n,
           ${percentiles(ms('acknowledged_at', 'delivered_at'))},
           count(deadline)::int AS with_deadline,
           count(*) FILTER (WHERE acknowledged_at IS NULL AND NOT acknowledgement_escalated
                              AND deadline > $4)::int AS pending,
           count(*) FILTER (WHERE acknowledged_at <= deadline)::int AS on_time,
           sum(escalations)::int AS escalations
      FROM later GROUP BY 1, 2`,

  /**
   * By referrer: the hub's `verified` event of each referral (one per referral it accepted, with
   * the sender's agency from the registry and the completeness score), and the hub's routing of
   * its outcome to the referrer (`referral-outcome`, correlationId = the referral's messageId).
   * $3 referral types.
   */
  referrals: `
    WITH referral AS (
      SELECT coalesce(s.sender_agency, '${UNKNOWN}') AS agency, s.message_type AS type,
             s.occurred_at AS submitted_at, s.completeness, o.outcome_at
        FROM audit_record s
        CROSS JOIN LATERAL (
          SELECT min(o.occurred_at) FILTER (
                   WHERE o.action = 'referral-outcome' AND o.actor = '${HUB_ACTOR}'
                     AND o.decision IS NOT NULL) AS outcome_at
            FROM audit_record o WHERE o.correlation_id = s.message_id::text) o
       WHERE s.action = 'verified' AND s.actor = '${HUB_ACTOR}' AND s.message_type = ANY($3)
         AND s.occurred_at >= $1 AND s.occurred_at < $2)
    SELECT agency, type, count(*)::int AS referrals,
           count(outcome_at)::int AS n, ${percentiles(ms('outcome_at', 'submitted_at'))},
           count(completeness)::int AS scored, avg(completeness)::float8 AS completeness_mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY completeness) AS completeness_median
      FROM referral GROUP BY 1, 2`,

  /**
   * By the member agency asked: the MARAC's `marac-request` events (messageId = the request's
   * submission id), less those the hub refused to deliver (its `rejected` or `sharing-refused`
   * of that id: the agency was never asked), and the first `marac-response` correlating the
   * request (the hub routing the answer, or the MARAC recording it). $3 the request type.
   */
  maracResponses: `
    WITH request AS (
      SELECT coalesce(q.recipient_agency, '${UNKNOWN}') AS agency, q.deadline, r.responded_at
        FROM audit_record q
        CROSS JOIN LATERAL (
          SELECT coalesce(bool_or(x.actor = '${HUB_ACTOR}'
                                  AND x.action IN ('rejected', 'sharing-refused')), false) AS refused
            FROM audit_record x WHERE x.message_id = q.message_id) x
        CROSS JOIN LATERAL (
          SELECT min(r.occurred_at) FILTER (WHERE r.action = 'marac-response') AS responded_at
            FROM audit_record r WHERE r.correlation_id = q.message_id::text) r
       WHERE q.action = 'marac-request' AND q.occurred_at >= $1 AND q.occurred_at < $2
         AND NOT x.refused)
    SELECT agency, $3::text AS type, count(*)::int AS requests,
           count(responded_at)::int AS responded,
           count(*) FILTER (WHERE responded_at <= deadline)::int AS on_time
      FROM request GROUP BY 1, 2`,
};
