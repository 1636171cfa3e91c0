/**
 * The audit API's answers as the console reads them (apps/audit, docs/audit.md): trail rows are
 * metadata only — ids, agencies, mailboxes, types, decisions, times and digests, never payloads —
 * and the console shows no more than these.
 */

/** One row of the trail (ChainRecord of apps/audit); absent members are omitted. */
export interface TrailRowJson {
  seq: number;
  eventId: string;
  action: string;
  actor: string;
  occurredAt: string;
  messageId?: string;
  correlationId?: string;
  subjectRef?: string;
  messageType?: string;
  senderNode?: string;
  senderAgency?: string;
  recipientMailbox?: string;
  recipientAgency?: string;
  decision?: string;
  ruleId?: string;
  policyVersion?: string;
  errorCode?: string;
  completeness?: number;
  deadline?: string;
  detail?: string;
}

/** GET /audit/records */
export interface TrailPageJson {
  rows: TrailRowJson[];
  nextAfterSeq?: number;
}

/** GET /audit/correlations/:messageId */
export interface CorrelationTrailJson {
  messageId: string;
  messageIds: string[];
  rows: TrailRowJson[];
}

/** GET /audit/verify */
export type VerifyResultJson =
  | { ok: true; fromSeq: number; toSeq: number; rows: number; headSeq: number; headHash: string }
  | {
      ok: false;
      fromSeq: number;
      toSeq: number;
      firstBadSeq: number;
      reason: string;
      detail: string;
    };

export interface SharingBasisJson {
  lawfulBasis: string | null;
  consent: string | null;
  familyInformed: boolean | null;
}

/** GET /audit/subjects/:subjectRef/disclosures */
export interface SubjectDisclosuresJson {
  subjectRef: string;
  disclosures: {
    deliveryId: string;
    submissionId: string | null;
    viewType: string | null;
    senderNode: string | null;
    senderAgency: string | null;
    recipientAgency: string | null;
    recipientMailbox: string | null;
    disclosedAt: string;
    decision: string | null;
    ruleId: string | null;
    policyVersion: string | null;
    basis: SharingBasisJson;
    deliveredAt: string | null;
    acknowledgedAt: string | null;
    purgedAt: string | null;
    purgeRule: string | null;
  }[];
  notShared: {
    submissionId: string | null;
    messageType: string | null;
    senderAgency: string | null;
    recipientAgency: string | null;
    recipientMailbox: string | null;
    decidedAt: string;
    ruleId: string | null;
    policyVersion: string | null;
    basis: SharingBasisJson;
  }[];
}
