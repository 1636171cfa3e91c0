import { Injectable } from '@nestjs/common';
import { DeliveryAuditActions } from '@app/contracts';
import { DataSource } from 'typeorm';

import { asUuid, HUB_ACTOR } from '../trail/trail-sql';

/** What a sharing rested on, as the hub's policy decision recorded it. */
export interface SharingBasis {
  /** The lawful basis the sender stated, e.g. `dpa2018-sch8-para4`. */
  lawfulBasis: string | null;
  /** The consent position the sender stated: `given`, `not-sought`, `refused` … */
  consent: string | null;
  familyInformed: boolean | null;
}

/** One disclosure: a view of a message about the subject delivered to one mailbox. */
export interface SubjectDisclosure {
  /** The delivery's own message id (the view sealed to that mailbox). */
  deliveryId: string;
  /** The message it was a view of (the sender's submission, or the message a reply answers). */
  submissionId: string | null;
  /** The view's type: which fields the recipient got. */
  viewType: string | null;
  senderNode: string | null;
  senderAgency: string | null;
  recipientAgency: string | null;
  recipientMailbox: string | null;
  disclosedAt: string;
  decision: string | null;
  ruleId: string | null;
  policyVersion: string | null;
  basis: SharingBasis;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  /** When the recipient's copy was purged under a retention rule; null while it is kept. */
  purgedAt: string | null;
  /** The retention rule it was purged under (libs/retention); null while it is kept. */
  purgeRule: string | null;
}

/** A decision not to share something about the subject with a mailbox, and why. */
export interface SubjectNonDisclosure {
  submissionId: string | null;
  messageType: string | null;
  senderAgency: string | null;
  recipientAgency: string | null;
  recipientMailbox: string | null;
  decidedAt: string;
  ruleId: string | null;
  policyVersion: string | null;
  basis: SharingBasis;
}

/** GET /audit/subjects/:subjectRef/disclosures (UK GDPR Art. 15(1)(c), from the trail). */
export interface SubjectDisclosures {
  subjectRef: string;
  disclosures: SubjectDisclosure[];
  notShared: SubjectNonDisclosure[];
}

type Row = Record<string, string | boolean | Date | null>;

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));

/**
 * "Who has received data about this subject", answered from the audit trail alone (metadata,
 * never payloads): every delivery the hub routed for the subject reference, with the recipient
 * node's own `delivered` and `acknowledged` events for it, the policy decision it rested on, and
 * every decision not to share.
 */
@Injectable()
export class SubjectDisclosuresService {
  constructor(private readonly db: DataSource) {}

  async of(subjectRef: string): Promise<SubjectDisclosures> {
    const [delivered, refused] = (await Promise.all([
      this.db.query(
        `SELECT r.message_id, r.correlation_id, r.message_type, r.sender_node, r.sender_agency,
                r.recipient_agency, r.recipient_mailbox, r.occurred_at, r.decision, r.rule_id,
                r.policy_version, p.detail AS policy_detail, e.delivered_at, e.acknowledged_at,
                e.purged_at, e.purge_rule
           FROM audit_record r
           LEFT JOIN LATERAL (
             SELECT x.detail FROM audit_record x
              WHERE x.action = 'policy-decision' AND x.actor = '${HUB_ACTOR}'
                AND x.message_id = ${asUuid('r.correlation_id')}
                AND x.recipient_mailbox = r.recipient_mailbox
              ORDER BY x.seq LIMIT 1) p ON true
           CROSS JOIN LATERAL (
             SELECT min(x.occurred_at) FILTER (WHERE x.action = 'delivered') AS delivered_at,
                    min(x.occurred_at) FILTER (WHERE x.action = 'acknowledged') AS acknowledged_at,
                    -- The recipient's copy; the hub's own tombstone of the delivery is not it.
                    min(x.occurred_at) FILTER (
                      WHERE x.action = 'purged' AND x.actor <> '${HUB_ACTOR}') AS purged_at,
                    (array_agg(x.rule_id ORDER BY x.seq) FILTER (
                      WHERE x.action = 'purged' AND x.actor <> '${HUB_ACTOR}'))[1] AS purge_rule
               FROM audit_record x WHERE x.message_id = r.message_id) e
          WHERE r.subject_ref = $1 AND r.actor = '${HUB_ACTOR}' AND r.action = ANY($2)
            AND r.decision IS NOT NULL AND r.message_id IS NOT NULL
          ORDER BY r.seq`,
        [subjectRef, [...DeliveryAuditActions]],
      ),
      this.db.query(
        `SELECT r.message_id, r.message_type, r.sender_agency, r.recipient_agency,
                r.recipient_mailbox, r.occurred_at, r.rule_id, r.policy_version, r.detail
           FROM audit_record r
          WHERE r.subject_ref = $1 AND r.actor = '${HUB_ACTOR}' AND r.action = 'sharing-refused'
          ORDER BY r.seq`,
        [subjectRef],
      ),
    ])) as Row[][];
    return {
      subjectRef,
      disclosures: delivered.map((row) => ({
        deliveryId: String(row.message_id),
        submissionId: text(row.correlation_id),
        viewType: text(row.message_type),
        senderNode: text(row.sender_node),
        senderAgency: text(row.sender_agency),
        recipientAgency: text(row.recipient_agency),
        recipientMailbox: text(row.recipient_mailbox),
        disclosedAt: iso(row.occurred_at)!,
        decision: text(row.decision),
        ruleId: text(row.rule_id),
        policyVersion: text(row.policy_version),
        basis: basisOf(text(row.policy_detail)),
        deliveredAt: iso(row.delivered_at),
        acknowledgedAt: iso(row.acknowledged_at),
        purgedAt: iso(row.purged_at),
        purgeRule: text(row.purge_rule),
      })),
      notShared: refused.map((row) => ({
        submissionId: text(row.message_id),
        messageType: text(row.message_type),
        senderAgency: text(row.sender_agency),
        recipientAgency: text(row.recipient_agency),
        recipientMailbox: text(row.recipient_mailbox),
        decidedAt: iso(row.occurred_at)!,
        ruleId: text(row.rule_id),
        policyVersion: text(row.policy_version),
        basis: basisOf(text(row.detail)),
      })),
    };
  }
}

/**
 * The hub writes a policy decision's detail as `family informed: yes; shared under consent;
 * basis <code>; consent <position>` (apps/hub sharing-request.ts decisionDetail): codes only.
 */
export function basisOf(detail: string | null): SharingBasis {
  const lawfulBasis = /(?:^|; )basis ([^;]+)/.exec(detail ?? '')?.[1] ?? null;
  const consent = /(?:^|; )consent ([^;]+)/.exec(detail ?? '')?.[1] ?? null;
  const informed = /(?:^|; )family informed: (yes|no)/.exec(detail ?? '')?.[1];
  return {
    lawfulBasis,
    consent,
    familyInformed: informed === undefined ? null : informed === 'yes',
  };
}
