import { Injectable } from '@nestjs/common';

import { AreaDirectory } from '../node-api/area-directory.service';
import { NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { formatDate, formatDateTime } from '../presentation/area-time';
import { ActiveSession } from '../session/console-sessions.service';
import { researchStanding, ResearchStanding, TrackerCellJson } from './research-standing';

/** GET /meetings of the MARAC API. */
interface MeetingJson {
  date: string;
  startsAt: string;
  responsesDueAt: string;
  next: boolean;
  cases: number;
  repeatCases: number;
  awaiting: number;
  overdue: number;
}

/** GET /meetings/:date of the MARAC API. */
interface AgendaJson {
  date: string;
  startsAt: string;
  responsesDueAt: string;
  awaiting: number;
  overdue: number;
  agencies: { agencyId: string; agencyName: string }[];
  cases: {
    caseId: string;
    victimRef: string;
    referredAt: string;
    referringAgencyName: string;
    repeat: boolean;
    previousCaseId: string | null;
    criterion: string;
    dashTotal: number;
    dashTotalComputed: boolean;
    incidentsLast12Months: number | null;
    research: TrackerCellJson[];
  }[];
}

export interface MeetingRow {
  date: string;
  title: string;
  starts: string;
  responsesDue: string;
  next: boolean;
  cases: number;
  repeatCases: number;
  awaiting: number;
  overdue: number;
}

export interface AgendaCase {
  caseId: string;
  victimRef: string;
  referred: string;
  repeat: boolean;
  riskBasis: string[];
  /** One cell per column (agency): its requests' standings; empty when the agency was not asked. */
  cells: { agencyName: string; standings: ResearchStanding[]; late: boolean }[];
  late: number;
}

export interface MeetingAgendaPage {
  date: string;
  title: string;
  starts: string;
  responsesDue: string;
  awaiting: number;
  overdue: number;
  agencies: string[];
  cases: AgendaCase[];
}

const CRITERIA: Record<string, string> = {
  'visible-high-risk': 'Visible high risk: DASH score 14 or more',
  'professional-judgement': 'Professional judgement',
  'potential-escalation': 'Potential escalation',
  repeat: 'Repeat case',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The MARAC coordinator's meeting calendar and each meeting's agenda with its research tracker,
 * read from the MARAC's API as the signed-in person (it decides who may see them).
 */
@Injectable()
export class MaracMeetings {
  constructor(
    private readonly area: AreaDirectory,
    private readonly api: NodeApiClient,
  ) {}

  async calendar(session: ActiveSession): Promise<MeetingRow[]> {
    const meetings = await this.api.get<MeetingJson[]>(session, this.marac(), '/meetings');
    return meetings.map((meeting) => ({
      date: meeting.date,
      title: formatDate(meeting.startsAt),
      starts: formatDateTime(meeting.startsAt),
      responsesDue: formatDateTime(meeting.responsesDueAt),
      next: meeting.next,
      cases: meeting.cases,
      repeatCases: meeting.repeatCases,
      awaiting: meeting.awaiting,
      overdue: meeting.overdue,
    }));
  }

  async agenda(session: ActiveSession, date: string): Promise<MeetingAgendaPage> {
    if (!DATE.test(date)) throw new PageNotFoundError();
    const agenda = await this.api.get<AgendaJson>(session, this.marac(), `/meetings/${date}`);
    return {
      date: agenda.date,
      title: formatDate(agenda.startsAt),
      starts: formatDateTime(agenda.startsAt),
      responsesDue: formatDateTime(agenda.responsesDueAt),
      awaiting: agenda.awaiting,
      overdue: agenda.overdue,
      agencies: agenda.agencies.map((agency) => agency.agencyName),
      cases: agenda.cases.map((entry) => {
        const cells = agenda.agencies.map((agency) => {
          const standings = entry.research
            .filter((cell) => cell.agencyId === agency.agencyId)
            .map(researchStanding);
          return {
            agencyName: agency.agencyName,
            standings,
            late: standings.some((s) => s.late),
          };
        });
        return {
          caseId: entry.caseId,
          victimRef: entry.victimRef,
          referred: `Referred by ${entry.referringAgencyName} on ${formatDateTime(entry.referredAt)}`,
          repeat: entry.repeat,
          riskBasis: riskBasis(entry),
          cells,
          late: cells.reduce((n, cell) => n + cell.standings.filter((s) => s.late).length, 0),
        };
      }),
    };
  }

  private marac(): string {
    const url = this.area.nodeUrl('marac');
    if (!url) throw new PageNotFoundError();
    return url;
  }
}

/** The case's risk basis in words: the criterion, the DASH score, the incidents it counts. */
function riskBasis(entry: AgendaJson['cases'][number]): string[] {
  const lines = [CRITERIA[entry.criterion] ?? entry.criterion];
  lines.push(
    `DASH score ${entry.dashTotal}${entry.dashTotalComputed ? '' : ' (given without the checklist)'}`,
  );
  if (entry.incidentsLast12Months !== null) {
    lines.push(`Escalation: ${entry.incidentsLast12Months} incidents in the last 12 months`);
  }
  return lines;
}
