import { Injectable } from '@nestjs/common';
import { Clock } from '@app/platform';

import { AreaDirectory } from '../node-api/area-directory.service';
import { NodeApiClient } from '../node-api/node-api.client';
import { PageForbiddenError } from '../pages/page-errors';
import { formatDateTime, formatTime } from '../presentation/area-time';
import { ActiveSession } from '../session/console-sessions.service';
import { RecipientFactsJson, recipientStanding, RecipientStanding } from './recipient-standing';

/** How many of the newest incidents and episodes the board shows. */
export const BOARD_SIZE = 20;

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** GET /incidents of the police node: per child, each recipient's facts. */
interface IncidentJson {
  incidentId: string;
  policeReference: string;
  submittedAt: string;
  notifications: {
    messageId: string;
    childIndex: number;
    educatedAtHome?: true;
    schoolUrn?: string | null;
    rejection?: { code: string | null; reason: string | null };
    recipients: RecipientFactsJson[];
  }[];
}

/** GET /missing-episodes of the police node. */
interface EpisodeJson {
  episodeId: string;
  kind: string;
  status: string;
  reportedAt: string;
  foundAt: string | null;
  reportCount: number;
  returnHomeInterview: {
    dueAt: string | null;
    overdueAt: string | null;
    receivedAt: string | null;
  };
  recipients: RecipientFactsJson[];
}

export interface IncidentCard {
  incidentId: string;
  reference: string;
  submitted: string;
  attention: boolean;
  children: {
    label: string;
    school: string;
    waiting: boolean;
    refusal: string | null;
    recipients: RecipientStanding[];
  }[];
}

export interface EpisodeCard {
  episodeId: string;
  kind: string;
  missing: boolean;
  reported: string;
  found: string | null;
  reports: number;
  interview: string | null;
  interviewOverdue: boolean;
  attention: boolean;
  recipients: RecipientStanding[];
}

/** The control room's board: what the page shows and what the refresh swaps in. */
export interface ControlRoomBoard {
  agency: string;
  incidents: IncidentCard[];
  moreIncidents: boolean;
  episodes: EpisodeCard[];
  moreEpisodes: boolean;
  overdue: number;
  refused: number;
  updated: string;
}

const KINDS: Record<string, string> = {
  'from-care': 'Missing from care',
  'from-home': 'Missing from home',
};

/**
 * The police control room's board, read from the police node as the signed-in person (its
 * agency check decides; a person of another agency gets the 403 page): the force's newest
 * incidents, each child's recipients with their standing, and its newest missing episodes.
 */
@Injectable()
export class ControlRoomBoards {
  constructor(
    private readonly area: AreaDirectory,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
  ) {}

  async of(session: ActiveSession): Promise<ControlRoomBoard> {
    const police = this.area.nodeUrl('police');
    if (!police) throw new PageForbiddenError('role');
    const [incidents, episodes] = await Promise.all([
      this.api.get<Page<IncidentJson>>(session, police, `/incidents?limit=${BOARD_SIZE}`),
      this.api.get<Page<EpisodeJson>>(session, police, `/missing-episodes?limit=${BOARD_SIZE}`),
    ]);
    const nameOf = (mailboxId: string) => this.area.mailbox(mailboxId)?.displayName;
    const incidentCards = incidents.items.map((incident) => this.incidentCard(incident, nameOf));
    const episodeCards = episodes.items.map((episode) => this.episodeCard(episode, nameOf));
    const standings = [
      ...incidentCards.flatMap((card) => card.children.flatMap((child) => child.recipients)),
      ...episodeCards.flatMap((card) => card.recipients),
    ];
    return {
      agency: this.area.agencyName(session.person.agencyId) ?? 'Your force',
      incidents: incidentCards,
      moreIncidents: incidents.nextCursor !== null,
      episodes: episodeCards,
      moreEpisodes: episodes.nextCursor !== null,
      overdue:
        standings.filter((standing) => standing.overdue).length +
        episodeCards.filter((card) => card.interviewOverdue).length,
      refused: standings.filter((standing) => standing.refused).length,
      updated: formatTime(this.clock.now()),
    };
  }

  private incidentCard(
    incident: IncidentJson,
    nameOf: (mailboxId: string) => string | undefined,
  ): IncidentCard {
    const children = incident.notifications.map((notification) => {
      const recipients = notification.recipients.map((facts) => recipientStanding(facts, nameOf));
      // The child's rejection is the school's when the school's copy was refused (its own row
      // says so); only a rejection with no refused school row refused the message as a whole.
      const wholeRefusal =
        notification.rejection &&
        !notification.recipients.some((r) => r.role === 'school' && r.status === 'rejected')
          ? notification.rejection
          : undefined;
      return {
        label: `Child ${notification.childIndex + 1}`,
        school: notification.educatedAtHome
          ? 'Educated at home'
          : notification.schoolUrn
            ? `School URN ${notification.schoolUrn}`
            : 'No school given',
        // The hub has not said where it went yet (or refused the message as a whole).
        waiting: recipients.length === 0 && !wholeRefusal,
        refusal: wholeRefusal
          ? recipientStanding(
              {
                mailboxId: '',
                status: 'rejected',
                deliveredAt: null,
                acknowledgedAt: null,
                acknowledgedBy: null,
                overdueAt: null,
                sharingRefusal: null,
                rejection: wholeRefusal,
              },
              nameOf,
            ).detail
          : null,
        recipients,
      };
    });
    return {
      incidentId: incident.incidentId,
      reference: incident.policeReference,
      submitted: formatDateTime(incident.submittedAt),
      attention: children.some(
        (child) => child.refusal || child.recipients.some((r) => r.overdue || r.refused),
      ),
      children,
    };
  }

  private episodeCard(
    episode: EpisodeJson,
    nameOf: (mailboxId: string) => string | undefined,
  ): EpisodeCard {
    const recipients = episode.recipients.map((facts) => recipientStanding(facts, nameOf));
    const interview = episode.returnHomeInterview;
    const interviewOverdue = Boolean(interview.overdueAt) && !interview.receivedAt;
    return {
      episodeId: episode.episodeId,
      kind: KINDS[episode.kind] ?? 'Missing',
      missing: episode.status === 'missing',
      reported: formatDateTime(episode.reportedAt),
      found: episode.foundAt ? formatDateTime(episode.foundAt) : null,
      reports: episode.reportCount,
      interview: interview.receivedAt
        ? `Return home interview outcome received ${formatDateTime(interview.receivedAt)}`
        : interview.dueAt
          ? `Return home interview due by ${formatDateTime(interview.dueAt)}${interviewOverdue ? ' – overdue' : ''}`
          : null,
      interviewOverdue,
      attention: interviewOverdue || recipients.some((r) => r.overdue || r.refused),
      recipients,
    };
  }
}
