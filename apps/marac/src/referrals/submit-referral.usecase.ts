import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  assessDashRisk,
  DashRiskAssessment,
  MaracReferralDetails,
  MaracReferralRefusal,
  MaracReferralView,
} from '@app/contracts';
import { AtRestSealer } from '@app/node';
import { DataSource, EntityManager } from 'typeorm';

import { MaracAudit, MaracAuditFacts } from '../audit/marac-audit';
import { MeetingCalendar } from '../calendar/meeting-calendar';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { MARAC_MEMBERSHIP } from '../marac-settings';
import { caseRecipients, MaracMembership } from '../members/marac-members';
import { MARAC_OUTBOUND, MaracOutbound } from '../outbound/marac-outbound';
import { ReferralDecisions } from './referral-decisions.service';

export interface ReferralAccepted {
  caseId: string;
  dashTotal: number;
  dashTotalComputed: boolean;
  repeat: boolean;
  previousCaseId: string | null;
  meeting: { date: string; startsAt: string; responsesDueAt: string };
  informationRequests: { agencyId: string; mailboxId: string; dueAt: string }[];
}

/** The DASH and criterion rules every referrer's node also applies (libs/contracts). */
function assessRisk(referral: MaracReferralDetails): DashRiskAssessment {
  try {
    return assessDashRisk(referral);
  } catch (error) {
    if (error instanceof MaracReferralRefusal) {
      throw new MaracError(MaracErrorCode[error.code], error.field, error.message);
    }
    throw error;
  }
}

/**
 * A referral becomes a case listed for the next meeting, with one information request per
 * member agency mailbox (and per child's school) sent through the hub, all in one transaction.
 * Repeat is detected from the case history whatever the referrer claims; a claimed repeat
 * without one is refused. Referrals arrive as signed messages through the hub (`listDelivered`,
 * in the inbox's transaction) or are entered by the coordinator (`execute`).
 */
@Injectable()
export class SubmitReferralUseCase implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendar: MeetingCalendar,
    @Inject(MARAC_MEMBERSHIP) private readonly membership: MaracMembership,
    @Inject(MARAC_OUTBOUND) private readonly outbound: MaracOutbound,
    private readonly audit: MaracAudit,
    private readonly decisions: ReferralDecisions,
    private readonly sealer: AtRestSealer,
  ) {}

  onModuleInit(): void {
    // Reasons stored before they were sealed are sealed at start-up.
    for (const column of [
      'dash_answers',
      'dash_answers_missing_reason',
      'professional_judgement_reason',
    ]) {
      this.sealer.register({ table: 'marac_case', key: 'id', column });
    }
  }

  /** A referral the coordinator enters (received by phone, or from an agency without a node). */
  async execute(referral: MaracReferralDetails): Promise<ReferralAccepted> {
    const risk = assessRisk(referral);
    await this.outbound.prepare();
    const accepted = await this.db.transaction((tx) => this.list(tx, referral, risk, null));
    this.audit.wake();
    return accepted;
  }

  /**
   * A referral delivered through the hub, in the inbox's transaction: the hub has checked the
   * referring agency and the referrer mailbox are the signing node's. The referrer is told the
   * case and meeting in the same transaction. A second delivery of the same referral lists
   * nothing and tells nothing.
   */
  async listDelivered(tx: EntityManager, referral: MaracReferralView): Promise<ReferralAccepted> {
    const [existing] = (await tx.query('SELECT id FROM marac_case WHERE referral_id = $1', [
      referral.referralId,
    ])) as { id: string }[];
    if (existing)
      throw new MaracError(MaracErrorCode.ALREADY_LISTED, 'referralId', 'already listed');
    const accepted = await this.list(tx, referral, assessRisk(referral), referral.referralId);
    await this.decisions.listed(tx, referral, accepted);
    return accepted;
  }

  private async list(
    tx: EntityManager,
    referral: MaracReferralDetails,
    risk: DashRiskAssessment,
    referralId: string | null,
  ): Promise<ReferralAccepted> {
    const now = this.clock.now();
    const meeting = this.calendar.nextMeetingFor(now);
    const caseId = randomUUID();
    const children = referral.children ?? [];
    const audit: MaracAuditFacts[] = [];

    // One victim's referrals are decided one at a time, so two at once cannot both miss each other.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `marac-victim:${referral.victimRef}`,
    ]);
    const previous = (await tx.query(
      `SELECT id FROM marac_case
        WHERE victim_ref = $1 AND referred_at > $2::timestamptz - interval '12 months'
          AND referred_at <= $2
        ORDER BY referred_at DESC LIMIT 1`,
      [referral.victimRef, now],
    )) as { id: string }[];
    const previousCaseId = previous[0]?.id ?? null;
    if (referral.criterion === 'repeat' && !previousCaseId) {
      throw new MaracError(
        MaracErrorCode.CRITERION_NOT_MET,
        'criterion',
        'repeat needs a previous MARAC referral for the same victim within 12 months; none is recorded',
      );
    }

    await tx.query(
      `INSERT INTO marac_case
         (id, victim_ref, perpetrator_ref, children, referring_agency_id, referred_at, criterion,
          dash_answers, dash_total, dash_total_computed, dash_answers_missing_reason,
          professional_judgement_reason, incidents_last_12_months, repeat, previous_case_id,
          meeting_date, meeting_at, responses_due_at, referral_id, consent_position, consent_by,
          consent_at, referral_lawful_basis, safeguarding_justification, family_informed)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,
               $24,$25)`,
      [
        caseId,
        referral.victimRef,
        referral.perpetratorRef,
        JSON.stringify(children),
        referral.referringAgencyId,
        now,
        referral.criterion,
        await this.sealer.sealOptional(
          referral.dashAnswers ? JSON.stringify(referral.dashAnswers) : null,
        ),
        risk.dashTotal,
        risk.dashTotalComputed,
        // Free text about the victim's situation: sealed at rest (AtRestSealer).
        await this.sealer.sealOptional(referral.dashAnswersMissingReason),
        await this.sealer.sealOptional(referral.professionalJudgementReason),
        referral.incidentsLast12Months ?? null,
        previousCaseId !== null,
        previousCaseId,
        meeting.date,
        meeting.startsAt,
        meeting.responsesDueAt,
        referralId,
        referral.consent.position,
        referral.consent.by ?? null,
        referral.consent.at ?? null,
        referral.lawfulBasis,
        referral.safeguardingJustification ?? null,
        referral.familyInformed,
      ],
    );
    audit.push({
      action: 'submitted',
      messageType: 'marac-referral',
      ...(referralId ? { messageId: referralId } : {}),
      subjectRef: referral.victimRef,
      senderAgency: referral.referringAgencyId,
      correlationId: caseId,
      detail: `criterion ${referral.criterion}; DASH ${risk.dashTotal}; repeat ${previousCaseId !== null}; ${referralId ? 'through the hub' : 'entered by the coordinator'}`,
    });

    const requests: ReferralAccepted['informationRequests'] = [];
    const schoolUrns = children.flatMap((child) => (child.schoolUrn ? [child.schoolUrn] : []));
    for (const recipient of caseRecipients(this.membership, schoolUrns)) {
      const requestId = randomUUID();
      // A school hears only of its own pupils; everyone else of every child in the household.
      // (The hub cuts a school's view down to its roll as well.)
      const asked = children.filter(
        (child) =>
          recipient.agencyKind !== this.membership.schools.kind ||
          (child.schoolUrn &&
            this.membership.schools.mailboxIdTemplate.replace('{urn}', child.schoolUrn) ===
              recipient.mailboxId),
      );
      const messageId = await this.outbound.sendInformationRequest(tx, recipient, {
        caseId,
        requestId,
        meetingDate: meeting.date,
        meetingAt: meeting.startsAt.toISOString(),
        dueAt: meeting.responsesDueAt.toISOString(),
        victimRef: referral.victimRef,
        perpetratorRef: referral.perpetratorRef,
        children: asked.map((child) => ({
          subjectRef: child.subjectRef,
          ...(child.schoolUrn ? { schoolUrn: child.schoolUrn } : {}),
        })),
        criterion: referral.criterion,
        dashTotal: risk.dashTotal,
        repeat: previousCaseId !== null,
      });
      await tx.query(
        `INSERT INTO information_request
           (id, case_id, agency_id, agency_kind, mailbox_id, escalation_mailbox_id, outgoing_message_id, due_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [
          requestId,
          caseId,
          recipient.agencyId,
          recipient.agencyKind,
          recipient.mailboxId,
          recipient.escalationMailboxId,
          messageId,
          meeting.responsesDueAt,
        ],
      );
      requests.push({
        agencyId: recipient.agencyId,
        mailboxId: recipient.mailboxId,
        dueAt: meeting.responsesDueAt.toISOString(),
      });
      audit.push({
        action: 'marac-request',
        messageType: 'marac-information-request',
        messageId,
        correlationId: caseId,
        subjectRef: referral.victimRef,
        recipientAgency: recipient.agencyId,
        recipientMailbox: recipient.mailboxId,
        deadline: meeting.responsesDueAt.toISOString(),
        detail: 'sent through the hub',
      });
    }

    await this.audit.record(tx, audit);
    return {
      caseId,
      dashTotal: risk.dashTotal,
      dashTotalComputed: risk.dashTotalComputed,
      repeat: previousCaseId !== null,
      previousCaseId,
      meeting: {
        date: meeting.date,
        startsAt: meeting.startsAt.toISOString(),
        responsesDueAt: meeting.responsesDueAt.toISOString(),
      },
      informationRequests: requests,
    };
  }
}
