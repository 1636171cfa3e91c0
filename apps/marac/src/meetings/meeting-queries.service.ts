import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CalendarDate } from '../calendar/calendar-dates';
import { MeetingCalendar } from '../calendar/meeting-calendar';
import { Clock } from '../clock/clock';
import { MARAC_MEMBERSHIP } from '../marac-settings';
import { MaracMembership } from '../members/marac-members';
import { AreaNames } from '../research/area-names';

/** One meeting of the calendar and how its cases' research stands. */
export interface MeetingSummary {
  date: CalendarDate;
  startsAt: string;
  responsesDueAt: string;
  /** The next meeting new referrals are listed for (it may have no case yet). */
  next: boolean;
  cases: number;
  repeatCases: number;
  /** Research requests not answered yet, and of those the ones past their deadline. */
  awaiting: number;
  overdue: number;
}

/**
 * Where one research request stands: `answered` on time, `answered-late`, `due` (deadline
 * ahead), `overdue` (not answered, deadline passed), `not-delivered` (the exchange refused it:
 * the agency was never asked).
 */
export type ResearchStanding = 'answered' | 'answered-late' | 'due' | 'overdue' | 'not-delivered';

export interface TrackerCell {
  requestId: string;
  agencyId: string;
  agencyName: string;
  mailboxId: string;
  mailboxName: string;
  standing: ResearchStanding;
  /** When the request went through the hub; null while it waits in the outbox. */
  sentAt: string | null;
  dueAt: string;
  answeredAt: string | null;
  escalatedAt: string | null;
  notDeliveredCode: string | null;
}

export interface AgendaCase {
  caseId: string;
  victimRef: string;
  referredAt: string;
  referringAgencyId: string;
  referringAgencyName: string;
  repeat: boolean;
  previousCaseId: string | null;
  /** The risk basis: the criterion with what it rests on (the judgement's reason is in the pack). */
  criterion: string;
  dashTotal: number;
  dashTotalComputed: boolean;
  incidentsLast12Months: number | null;
  research: TrackerCell[];
}

/** A meeting's agenda and research tracker: its cases, and each member agency's standing. */
export interface MeetingAgenda extends Omit<MeetingSummary, 'cases' | 'repeatCases'> {
  /** The tracker's columns: the member agencies in the members file's order, then schools. */
  agencies: { agencyId: string; agencyName: string }[];
  cases: AgendaCase[];
}

type Row = Record<string, unknown>;
const iso = (value: unknown): string => (value as Date).toISOString();
const isoOrNull = (value: unknown): string | null => (value ? iso(value) : null);

/** The meeting calendar for the coordinator: the meetings with cases, and each one's agenda. */
@Injectable()
export class MeetingQueries {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendar: MeetingCalendar,
    private readonly names: AreaNames,
    @Inject(MARAC_MEMBERSHIP) private readonly membership: MaracMembership,
  ) {}

  /** The meetings that have cases, newest first, with the next meeting even when it has none. */
  async list(): Promise<MeetingSummary[]> {
    const now = this.clock.now();
    const rows = (await this.db.query(
      `SELECT c.meeting_date::text AS date, count(DISTINCT c.id)::int AS cases,
              count(DISTINCT c.id) FILTER (WHERE c.repeat)::int AS repeat_cases,
              count(r.id) FILTER (WHERE r.state = 'awaiting' AND o.refused_at IS NULL)::int AS awaiting,
              count(r.id) FILTER (WHERE r.state = 'awaiting' AND o.refused_at IS NULL
                                    AND r.due_at < $1)::int AS overdue
         FROM marac_case c
         LEFT JOIN information_request r ON r.case_id = c.id
         LEFT JOIN outgoing_message o ON o.id = r.outgoing_message_id
        GROUP BY c.meeting_date ORDER BY c.meeting_date DESC LIMIT 100`,
      [now],
    )) as Row[];
    const next = this.calendar.nextMeetingFor(now).date;
    const meetings = rows.map((row) =>
      this.summary(row.date as string, next, {
        cases: row.cases as number,
        repeatCases: row.repeat_cases as number,
        awaiting: row.awaiting as number,
        overdue: row.overdue as number,
      }),
    );
    if (!meetings.some((meeting) => meeting.date === next)) {
      meetings.push(
        this.summary(next, next, { cases: 0, repeatCases: 0, awaiting: 0, overdue: 0 }),
      );
      meetings.sort((a, b) => b.date.localeCompare(a.date));
    }
    return meetings;
  }

  /** The meeting's cases in the order they were referred, each with its research standing. */
  async agenda(date: CalendarDate): Promise<MeetingAgenda> {
    const now = this.clock.now();
    // Only the case's plain columns: a listing opens nothing sealed at rest (the reason for a
    // professional judgement is read on the case's own page).
    const details = (await this.db.query(
      `SELECT id, victim_ref, referred_at, referring_agency_id, repeat, previous_case_id,
              criterion, dash_total, dash_total_computed, incidents_last_12_months
         FROM marac_case WHERE meeting_date = $1 ORDER BY referred_at, id LIMIT 200`,
      [date],
    )) as Row[];
    const ids = details.map((row) => ({ id: row.id as string }));
    const requests = ids.length
      ? ((await this.db.query(
          `SELECT r.id, r.case_id, r.agency_id, r.mailbox_id, r.due_at, r.state, r.escalated_at,
                  o.sent_at, o.refused_at, o.refusal_code, s.received_at, s.late
             FROM information_request r
             JOIN outgoing_message o ON o.id = r.outgoing_message_id
             LEFT JOIN research_response s ON s.request_id = r.id
            WHERE r.case_id = ANY($1)
            ORDER BY r.agency_id, r.mailbox_id`,
          [ids.map(({ id }) => id)],
        )) as Row[])
      : [];
    const cells = requests.map((row) => ({
      caseId: row.case_id as string,
      cell: this.cell(row, now),
    }));
    const agendaCases = details.map((row) =>
      this.agendaCase(
        row,
        cells.filter((entry) => entry.caseId === row.id).map((entry) => entry.cell),
      ),
    );
    const all = agendaCases.flatMap((entry) => entry.research);
    const summary = this.summary(date, this.calendar.nextMeetingFor(now).date, {
      cases: 0,
      repeatCases: 0,
      awaiting: all.filter((cell) => cell.standing === 'due' || cell.standing === 'overdue').length,
      overdue: all.filter((cell) => cell.standing === 'overdue').length,
    });
    const { cases: _cases, repeatCases: _repeat, ...meeting } = summary;
    return { ...meeting, agencies: this.columns(all), cases: agendaCases };
  }

  /** Members in the members file's order, then schools, then any agency only the rows name. */
  private columns(cells: TrackerCell[]): MeetingAgenda['agencies'] {
    const order = [
      ...this.membership.members.map((member) => member.agencyId),
      this.membership.schools.agencyId,
    ];
    for (const cell of cells) if (!order.includes(cell.agencyId)) order.push(cell.agencyId);
    return order.map((agencyId) => ({ agencyId, agencyName: this.names.agency(agencyId) }));
  }

  private summary(
    date: CalendarDate,
    next: CalendarDate,
    counts: Pick<MeetingSummary, 'cases' | 'repeatCases' | 'awaiting' | 'overdue'>,
  ): MeetingSummary {
    const meeting = this.calendar.meeting(date);
    return {
      date,
      startsAt: meeting.startsAt.toISOString(),
      responsesDueAt: meeting.responsesDueAt.toISOString(),
      next: date === next,
      ...counts,
    };
  }

  private cell(row: Row, now: Date): TrackerCell {
    const answered = row.state === 'answered';
    const refused = Boolean(row.refused_at) && !answered;
    const standing: ResearchStanding = answered
      ? row.late
        ? 'answered-late'
        : 'answered'
      : refused
        ? 'not-delivered'
        : (row.due_at as Date) < now
          ? 'overdue'
          : 'due';
    return {
      requestId: row.id as string,
      agencyId: row.agency_id as string,
      agencyName: this.names.agency(row.agency_id as string),
      mailboxId: row.mailbox_id as string,
      mailboxName: this.names.mailbox(row.mailbox_id as string),
      standing,
      sentAt: isoOrNull(row.sent_at),
      dueAt: iso(row.due_at),
      answeredAt: isoOrNull(row.received_at),
      escalatedAt: isoOrNull(row.escalated_at),
      notDeliveredCode: refused ? (row.refusal_code as string) : null,
    };
  }

  private agendaCase(row: Row, research: TrackerCell[]): AgendaCase {
    return {
      caseId: row.id as string,
      victimRef: row.victim_ref as string,
      referredAt: iso(row.referred_at),
      referringAgencyId: row.referring_agency_id as string,
      referringAgencyName: this.names.agency(row.referring_agency_id as string),
      repeat: row.repeat as boolean,
      previousCaseId: (row.previous_case_id as string | null) ?? null,
      criterion: row.criterion as string,
      dashTotal: row.dash_total as number,
      dashTotalComputed: row.dash_total_computed as boolean,
      incidentsLast12Months: (row.incidents_last_12_months as number | null) ?? null,
      research,
    };
  }
}
