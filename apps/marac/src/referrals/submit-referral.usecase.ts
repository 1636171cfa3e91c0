import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { MaracAudit, MaracAuditFacts } from '../audit/marac-audit';
import { MeetingCalendar } from '../calendar/meeting-calendar';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { MARAC_MEMBERSHIP } from '../marac-settings';
import { caseRecipients, MaracMembership } from '../members/marac-members';
import { MARAC_OUTBOUND, MaracOutbound } from '../outbound/marac-outbound';
import { assessRisk } from './dash-risk';
import { SubmitReferralDto } from './submit-referral.dto';

export interface ReferralAccepted {
  caseId: string;
  dashTotal: number;
  dashTotalComputed: boolean;
  repeat: boolean;
  previousCaseId: string | null;
  meeting: { date: string; startsAt: string; responsesDueAt: string };
  informationRequests: { agencyId: string; mailboxId: string; dueAt: string }[];
}

/**
 * A referral becomes a case listed for the next meeting, with one information request per
 * member agency mailbox (and per child's school), all in one transaction. Repeat is detected
 * from the case history whatever the referrer claims; a claimed repeat without one is refused.
 */
@Injectable()
export class SubmitReferralUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendar: MeetingCalendar,
    @Inject(MARAC_MEMBERSHIP) private readonly membership: MaracMembership,
    @Inject(MARAC_OUTBOUND) private readonly outbound: MaracOutbound,
    private readonly audit: MaracAudit,
  ) {}

  async execute(referral: SubmitReferralDto): Promise<ReferralAccepted> {
    const risk = assessRisk(referral);
    const now = this.clock.now();
    const meeting = this.calendar.nextMeetingFor(now);
    const caseId = randomUUID();
    const audit: MaracAuditFacts[] = [];

    const accepted = await this.db.transaction(async (tx) => {
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
            meeting_date, meeting_at, responses_due_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
        [
          caseId,
          referral.victimRef,
          referral.perpetratorRef,
          JSON.stringify(referral.children),
          referral.referringAgencyId,
          now,
          referral.criterion,
          referral.dashAnswers ? JSON.stringify(referral.dashAnswers) : null,
          risk.dashTotal,
          risk.dashTotalComputed,
          referral.dashAnswersMissingReason ?? null,
          referral.professionalJudgementReason ?? null,
          referral.incidentsLast12Months ?? null,
          previousCaseId !== null,
          previousCaseId,
          meeting.date,
          meeting.startsAt,
          meeting.responsesDueAt,
        ],
      );
      audit.push({
        action: 'submitted',
        messageType: 'marac-referral',
        subjectRef: referral.victimRef,
        senderAgency: referral.referringAgencyId,
        correlationId: caseId,
        detail: `criterion ${referral.criterion}; DASH ${risk.dashTotal}; repeat ${previousCaseId !== null}`,
      });

      const requests: ReferralAccepted['informationRequests'] = [];
      const schoolUrns = referral.children.flatMap((child) =>
        child.schoolUrn ? [child.schoolUrn] : [],
      );
      for (const recipient of caseRecipients(this.membership, schoolUrns)) {
        const requestId = randomUUID();
        // A school hears only of its own pupils; everyone else of every child in the household.
        const childRefs = referral.children
          .filter(
            (child) =>
              recipient.agencyKind !== this.membership.schools.kind ||
              (child.schoolUrn &&
                this.membership.schools.mailboxIdTemplate.replace('{urn}', child.schoolUrn) ===
                  recipient.mailboxId),
          )
          .map((child) => child.subjectRef);
        const messageId = await this.outbound.sendInformationRequest(tx, recipient, {
          caseId,
          requestId,
          meetingDate: meeting.date,
          meetingAt: meeting.startsAt.toISOString(),
          responsesDueAt: meeting.responsesDueAt.toISOString(),
          victimRef: referral.victimRef,
          perpetratorRef: referral.perpetratorRef,
          childRefs,
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
          detail: 'recorded pending transport',
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
    });
    this.audit.wake();
    return accepted;
  }
}
