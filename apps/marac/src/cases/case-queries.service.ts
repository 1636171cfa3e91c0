import { Injectable } from '@nestjs/common';
import { AtRestSealer } from '@app/node';
import { DataSource } from 'typeorm';

import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';

export interface CaseSummary {
  caseId: string;
  victimRef: string;
  perpetratorRef: string;
  referringAgencyId: string;
  referredAt: string;
  criterion: string;
  dashTotal: number;
  repeat: boolean;
  meetingDate: string;
  meetingAt: string;
  responsesDueAt: string;
}

export interface CaseDetail extends CaseSummary {
  children: { subjectRef: string; schoolUrn?: string }[];
  dashAnswers: string[] | null;
  dashTotalComputed: boolean;
  dashAnswersMissingReason: string | null;
  professionalJudgementReason: string | null;
  incidentsLast12Months: number | null;
  previousCaseId: string | null;
  /** The victim's earlier referrals to this MARAC, newest first (any age, at most 20). */
  earlierReferrals: EarlierReferral[];
}

export interface EarlierReferral {
  caseId: string;
  referredAt: string;
  referringAgencyId: string;
  criterion: string;
  dashTotal: number;
  meetingDate: string;
}

export interface ResearchForm {
  victimInvolvement: { facts: string; opinion?: string };
  perpetratorInvolvement: { facts: string; opinion?: string };
  childrenInvolvement: { subjectRef: string; facts: string; opinion?: string }[];
  knownRisks: { facts: string; opinion?: string };
  currentActions: string;
  contact: string;
}

export interface PackEntry {
  requestId: string;
  agencyId: string;
  agencyKind: string;
  mailboxId: string;
  dueAt: string;
  state: 'awaiting' | 'answered';
  overdue: boolean;
  escalatedAt: string | null;
  escalationMailboxId: string;
  /** The exchange refused to deliver the request (e.g. NOT_A_MARAC_MEMBER): never asked, never late. */
  notDelivered: { code: string; reason: string } | null;
  response: {
    receivedAt: string;
    late: boolean;
    /** Null once purged under a retention rule after the case closed (`purged` says when). */
    form: ResearchForm | null;
    purged: { at: string; rule: string | null } | null;
  } | null;
}

export interface ActionView {
  actionId: string;
  ownerAgencyId: string;
  ownerMailboxId: string;
  description: string;
  dueDate: string;
  dueAt: string;
  state: string;
  acknowledgedAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  updates: { agencyId: string; status: string; note: string; recordedAt: string }[];
}

export interface ResearchPack {
  case: CaseDetail;
  generatedAt: string;
  agencies: PackEntry[];
  notAnswered: { agencyId: string; mailboxId: string }[];
  overdue: { agencyId: string; mailboxId: string; escalatedAt: string | null }[];
  /** Requests the exchange refused to deliver, with its code: the coordinator follows them up. */
  notDelivered: { agencyId: string; mailboxId: string; code: string }[];
  actions: ActionView[];
}

/** A message the case sent through the hub, and what the hub said of it since. */
export interface OutgoingView {
  messageId: string;
  kind: string;
  correlationId: string;
  recipientAgencyId: string;
  recipientMailboxId: string;
  /** `sent`, `delivered`, `acknowledged`, `rejected` or `sharing-refused`. */
  state: string;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  refusal: { code: string; reason: string; at: string } | null;
  body: unknown;
}

/** A referral that came through the hub and could not be listed, with the rule it failed. */
export interface RefusedReferral {
  referralId: string;
  messageId: string;
  referringAgencyId: string;
  victimRef: string;
  code: string;
  field: string | null;
  reason: string;
  receivedAt: string;
  /**
   * The refusal as the referrer was told it (a signed decision through the hub) and how far it
   * got: `sent`, `delivered`, or `rejected` / `sharing-refused` by the exchange with the code.
   * Null for a referral refused before decisions were sent.
   */
  toldReferrer: {
    messageId: string;
    mailboxId: string;
    state: string;
    deliveredAt: string | null;
    refusalCode: string | null;
  } | null;
}

type Row = Record<string, unknown>;
const iso = (value: unknown): string => (value as Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value ? iso(value) : null);

const CASE_COLUMNS = `id, victim_ref, perpetrator_ref, referring_agency_id, referred_at, criterion,
  dash_total, repeat, meeting_date::text AS meeting_date, meeting_at, responses_due_at, children,
  dash_answers, dash_total_computed, dash_answers_missing_reason, professional_judgement_reason,
  incidents_last_12_months, previous_case_id`;

/** Reads of cases for the coordinator; every query is scoped by the case id it is given. */
@Injectable()
export class CaseQueries {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly sealer: AtRestSealer,
  ) {}

  async list(): Promise<CaseSummary[]> {
    const rows = (await this.db.query(
      `SELECT ${CASE_COLUMNS} FROM marac_case ORDER BY meeting_date DESC, referred_at DESC LIMIT 500`,
    )) as Row[];
    return rows.map((row) => this.summary(row));
  }

  async get(caseId: string): Promise<CaseDetail> {
    const rows = (await this.db.query(`SELECT ${CASE_COLUMNS} FROM marac_case WHERE id = $1`, [
      caseId,
    ])) as Row[];
    if (rows.length === 0) {
      throw new MaracError(MaracErrorCode.CASE_NOT_FOUND, 'caseId', 'no such case');
    }
    const row = rows[0];
    return {
      ...this.summary(row),
      children: row.children as CaseDetail['children'],
      dashAnswers: row.dash_answers
        ? (JSON.parse(await this.sealer.open(row.dash_answers as string)) as string[])
        : null,
      dashTotalComputed: row.dash_total_computed as boolean,
      dashAnswersMissingReason: await this.sealer.openOptional(
        row.dash_answers_missing_reason as string | null,
      ),
      professionalJudgementReason: await this.sealer.openOptional(
        row.professional_judgement_reason as string | null,
      ),
      incidentsLast12Months: row.incidents_last_12_months as number | null,
      previousCaseId: row.previous_case_id as string | null,
      earlierReferrals: await this.earlierReferrals(row),
    };
  }

  /** The history the meeting weighs: every earlier case of the same victim (by reference). */
  private async earlierReferrals(row: Row): Promise<EarlierReferral[]> {
    const rows = (await this.db.query(
      `SELECT id, referred_at, referring_agency_id, criterion, dash_total,
              meeting_date::text AS meeting_date
         FROM marac_case WHERE victim_ref = $1 AND referred_at < $2 AND id <> $3
        ORDER BY referred_at DESC LIMIT 20`,
      [row.victim_ref, row.referred_at, row.id],
    )) as Row[];
    return rows.map((earlier) => ({
      caseId: earlier.id as string,
      referredAt: iso(earlier.referred_at),
      referringAgencyId: earlier.referring_agency_id as string,
      criterion: earlier.criterion as string,
      dashTotal: earlier.dash_total as number,
      meetingDate: earlier.meeting_date as string,
    }));
  }

  /** Every agency's answer, who has not answered, who is overdue, and the case's actions. */
  async pack(caseId: string): Promise<ResearchPack> {
    const detail = await this.get(caseId);
    const now = this.clock.now();
    const requests = (await this.db.query(
      `SELECT r.id, r.agency_id, r.agency_kind, r.mailbox_id, r.due_at, r.state, r.escalated_at,
              r.escalation_mailbox_id, s.received_at, s.late, s.form, s.purged_at, s.purge_rule, o.refused_at, o.refusal_code,
              o.refusal_reason
         FROM information_request r LEFT JOIN research_response s ON s.request_id = r.id
              LEFT JOIN outgoing_message o ON o.id = r.outgoing_message_id
        WHERE r.case_id = $1
        ORDER BY r.agency_id, r.mailbox_id`,
      [caseId],
    )) as Row[];
    const agencies: PackEntry[] = await Promise.all(
      requests.map(async (row) => ({
        requestId: row.id as string,
        agencyId: row.agency_id as string,
        agencyKind: row.agency_kind as string,
        mailboxId: row.mailbox_id as string,
        dueAt: iso(row.due_at),
        state: row.state as PackEntry['state'],
        overdue: row.state === 'awaiting' && !row.refused_at && (row.due_at as Date) < now,
        escalatedAt: isoOrNull(row.escalated_at),
        escalationMailboxId: row.escalation_mailbox_id as string,
        notDelivered: row.refused_at
          ? { code: row.refusal_code as string, reason: row.refusal_reason as string }
          : null,
        response: row.received_at
          ? {
              receivedAt: iso(row.received_at),
              late: row.late as boolean,
              // Sealed at rest (RecordResearchUseCase): opened for the coordinator's pack only.
              form: row.form
                ? (JSON.parse(await this.sealer.open(row.form as string)) as ResearchForm)
                : null,
              purged: row.purged_at
                ? { at: iso(row.purged_at), rule: (row.purge_rule as string | null) ?? null }
                : null,
            }
          : null,
      })),
    );
    return {
      case: detail,
      generatedAt: now.toISOString(),
      agencies,
      notAnswered: agencies
        .filter((entry) => entry.state === 'awaiting')
        .map(({ agencyId, mailboxId }) => ({ agencyId, mailboxId })),
      overdue: agencies
        .filter((entry) => entry.overdue)
        .map(({ agencyId, mailboxId, escalatedAt }) => ({ agencyId, mailboxId, escalatedAt })),
      notDelivered: agencies.flatMap(({ agencyId, mailboxId, notDelivered, response }) =>
        notDelivered && !response ? [{ agencyId, mailboxId, code: notDelivered.code }] : [],
      ),
      actions: await this.actions(caseId, now),
    };
  }

  async outgoing(caseId: string): Promise<OutgoingView[]> {
    await this.get(caseId);
    const rows = (await this.db.query(
      `SELECT id, kind, correlation_id, recipient_agency_id, recipient_mailbox_id, state, created_at,
              sent_at, delivered_at, acknowledged_at, refused_at, refusal_code, refusal_reason, body
         FROM outgoing_message WHERE case_id = $1 ORDER BY created_at, kind, recipient_mailbox_id`,
      [caseId],
    )) as Row[];
    return Promise.all(
      rows.map(async (row) => ({
        messageId: row.id as string,
        kind: row.kind as string,
        correlationId: row.correlation_id as string,
        recipientAgencyId: row.recipient_agency_id as string,
        recipientMailboxId: row.recipient_mailbox_id as string,
        state: row.state as string,
        createdAt: iso(row.created_at),
        sentAt: isoOrNull(row.sent_at),
        deliveredAt: isoOrNull(row.delivered_at),
        acknowledgedAt: isoOrNull(row.acknowledged_at),
        refusal: row.refused_at
          ? {
              code: row.refusal_code as string,
              reason: row.refusal_reason as string,
              at: iso(row.refused_at),
            }
          : null,
        body: JSON.parse(await this.sealer.open(row.body as string)) as unknown,
      })),
    );
  }

  async refusedReferrals(): Promise<RefusedReferral[]> {
    const rows = (await this.db.query(
      `SELECT r.referral_id, r.message_id, r.referring_agency_id, r.victim_ref, r.code, r.field,
              r.reason, r.received_at, o.id AS decision_id, o.recipient_mailbox_id, o.state,
              o.delivered_at, o.refusal_code
         FROM refused_referral r
         LEFT JOIN outgoing_message o
           ON o.kind = 'marac-referral-decision' AND o.correlation_id = r.referral_id
        ORDER BY r.received_at DESC LIMIT 500`,
    )) as Row[];
    return rows.map((row) => ({
      referralId: row.referral_id as string,
      messageId: row.message_id as string,
      referringAgencyId: row.referring_agency_id as string,
      victimRef: row.victim_ref as string,
      code: row.code as string,
      field: row.field as string | null,
      reason: row.reason as string,
      receivedAt: iso(row.received_at),
      toldReferrer: row.decision_id
        ? {
            messageId: row.decision_id as string,
            mailboxId: row.recipient_mailbox_id as string,
            state: row.state as string,
            deliveredAt: isoOrNull(row.delivered_at),
            refusalCode: (row.refusal_code as string | null) ?? null,
          }
        : null,
    }));
  }

  private async actions(caseId: string, now: Date): Promise<ActionView[]> {
    const actions = (await this.db.query(
      `SELECT id, owner_agency_id, owner_mailbox_id, description, due_date::text AS due_date, due_at,
              state, acknowledged_at, escalated_at
         FROM marac_action WHERE case_id = $1 ORDER BY created_at, id`,
      [caseId],
    )) as Row[];
    const updates = (await this.db.query(
      `SELECT u.action_id, u.agency_id, u.status, u.note, u.recorded_at
         FROM action_update u JOIN marac_action a ON a.id = u.action_id
        WHERE a.case_id = $1 ORDER BY u.recorded_at, u.id`,
      [caseId],
    )) as Row[];
    // Descriptions and notes are sealed at rest: opened for the coordinator's view only.
    const open = (value: unknown) => this.sealer.open(value as string);
    return Promise.all(
      actions.map(async (row) => ({
        actionId: row.id as string,
        ownerAgencyId: row.owner_agency_id as string,
        ownerMailboxId: row.owner_mailbox_id as string,
        description: await open(row.description),
        dueDate: row.due_date as string,
        dueAt: iso(row.due_at),
        state: row.state as string,
        acknowledgedAt: isoOrNull(row.acknowledged_at),
        overdue: row.state !== 'completed' && (row.due_at as Date) < now,
        escalatedAt: isoOrNull(row.escalated_at),
        updates: await Promise.all(
          updates
            .filter((update) => update.action_id === row.id)
            .map(async (update) => ({
              agencyId: update.agency_id as string,
              status: update.status as string,
              note: await open(update.note),
              recordedAt: iso(update.recorded_at),
            })),
        ),
      })),
    );
  }

  private summary(row: Row): CaseSummary {
    return {
      caseId: row.id as string,
      victimRef: row.victim_ref as string,
      perpetratorRef: row.perpetrator_ref as string,
      referringAgencyId: row.referring_agency_id as string,
      referredAt: iso(row.referred_at),
      criterion: row.criterion as string,
      dashTotal: row.dash_total as number,
      repeat: row.repeat as boolean,
      meetingDate: row.meeting_date as string,
      meetingAt: iso(row.meeting_at),
      responsesDueAt: iso(row.responses_due_at),
    };
  }
}
