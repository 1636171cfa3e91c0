/**
 * The missing episodes a fault run reports, beside its incidents and referrals: each episode is
 * first reported missing, by the police (to the MASH, the child's school and school nursing) or
 * by children's social care (to the school and school nursing: the MASH is its own), and a
 * later step reports it found under the same episode id — one item per mailbox, updated. A
 * police episode's found report says the child was found 72 hours ago less `interviewDueInMs`,
 * so its return home interview deadline (found + 72 h, `RETURN_HOME_INTERVIEW_DUE_HOURS`) falls
 * due during the run, while hubs are being killed, and must be escalated exactly once.
 */
import { randomUUID } from 'node:crypto';

import { RETURN_HOME_INTERVIEW_DUE_HOURS } from '@app/contracts';

import { validBodies } from '../../test/support/valid-bodies';

import { BenchStack } from './bench-stack';

/** The police node's mailbox that follows its episodes (its copies of escalations land here). */
export const POLICE_REPORTER_MAILBOX = 'police-safeguarding-hub';
/** Social care's escalation mailbox: the MASH's overdue interviews are escalated to it too. */
export const SOCIAL_CARE_ESCALATION_MAILBOX = 'social-care-escalation';

export type EpisodeReporter = 'police-adapter' | 'social-care-adapter';

/** One episode the run reported, with the message id of each report the reporter accepted. */
export interface TrackedEpisode {
  episodeId: string;
  reporter: EpisodeReporter;
  /** The message ids of the accepted reports, in order (202 from the reporter's node). */
  reports: string[];
  /** A found report was accepted: a police episode then has a return home interview due. */
  found: boolean;
}

export class MissingEpisodeLoad {
  readonly episodes: TrackedEpisode[] = [];
  private readonly bodies = new Map<string, Record<string, unknown>>();
  private steps = 0;

  constructor(
    private readonly stack: BenchStack,
    private readonly tokens: Record<EpisodeReporter, string>,
    private readonly interviewDueInMs: number,
    private readonly refused: string[],
  ) {}

  /**
   * The next step: a new episode (police and social care in turn) or, every other step, the
   * previous new episode reported found.
   */
  async step(): Promise<void> {
    const step = this.steps++;
    if (step % 2 === 1) {
      const episode = this.episodes[this.episodes.length - 1];
      if (episode) await this.reportFound(episode);
      return;
    }
    const reporter: EpisodeReporter = step % 4 === 0 ? 'police-adapter' : 'social-care-adapter';
    const episode: TrackedEpisode = {
      episodeId: randomUUID(),
      reporter,
      reports: [],
      found: false,
    };
    this.bodies.set(episode.episodeId, this.firstReport(episode));
    this.episodes.push(episode);
    await this.send(episode, this.bodies.get(episode.episodeId)!);
  }

  private async reportFound(episode: TrackedEpisode): Promise<void> {
    if (episode.reports.length === 0) return; // its first report was not accepted
    const foundAt = new Date(
      Date.now() - RETURN_HOME_INTERVIEW_DUE_HOURS * 3_600_000 + this.interviewDueInMs,
    );
    const body = { ...this.bodies.get(episode.episodeId)!, status: 'found', foundAt };
    if (await this.send(episode, body)) episode.found = true;
  }

  private firstReport(episode: TrackedEpisode): Record<string, unknown> {
    const body = validBodies.missingEpisode();
    const startedAt = new Date(Date.now() - (RETURN_HOME_INTERVIEW_DUE_HOURS + 2) * 3_600_000);
    const child = {
      name: `Child ${randomUUID().slice(0, 8)} Chaosperson`,
      dateOfBirth: '2012-03-14', // of school age: school nursing, not health visiting
      schoolUrn: this.stack.urn,
    };
    if (episode.reporter === 'police-adapter') {
      return {
        ...body,
        episodeId: episode.episodeId,
        reporterMailboxId: POLICE_REPORTER_MAILBOX,
        child,
        startedAt,
      };
    }
    // Social care shares its own report with the carer's consent under its own lawful basis.
    const rest = { ...body };
    delete rest.safeguardingJustification;
    return {
      ...rest,
      episodeId: episode.episodeId,
      reporterMailboxId: 'mash',
      child,
      startedAt,
      consent: { position: 'given', by: 'Carer', at: new Date().toISOString() },
      lawfulBasis: 'dpa2018-sch1-para18',
    };
  }

  /** POST /missing-episodes to the reporter's node; true when it accepted the report. */
  private async send(episode: TrackedEpisode, body: Record<string, unknown>): Promise<boolean> {
    try {
      const response = await fetch(`${this.stack.service(episode.reporter).url}/missing-episodes`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.tokens[episode.reporter]}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { messageId?: string };
      if (response.status !== 202 || !answer.messageId) {
        this.refused.push(`missing episode ${response.status}`);
        return false;
      }
      episode.reports.push(answer.messageId);
      return true;
    } catch (error) {
      this.refused.push(`missing episode ${String(error).slice(0, 80)}`);
      return false;
    }
  }
}
