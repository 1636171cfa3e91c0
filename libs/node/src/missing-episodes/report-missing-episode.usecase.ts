import { randomUUID } from 'node:crypto';

import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { MISSING_EPISODE, MissingEpisode, Topics } from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeSender, SealedEnvelope } from '../outgoing/node-sender.service';

export interface ReportedMissingEpisode {
  episodeId: string;
  /** This report's message id on the exchange. */
  messageId: string;
  /** 1 for the episode's first report from this node, 2 for the next, … */
  reportNumber: number;
}

interface EpisodeRow {
  subject_ref: string;
  status: 'missing' | 'found';
  report_count: number;
}

/** Another first report of the same episode committed in between: seal again with its subject. */
class SubjectChanged extends Error {
  constructor(readonly subjectRef: string) {
    super('the episode was created concurrently');
  }
}

/**
 * The police's or social care's system reports a child missing, or reports the episode again
 * (found, risk regraded): one signed `missing-episode` per report, sealed to the hub and written
 * to the outbox with the node's episode and report rows and the `submitted` audit event in one
 * transaction. Every report of an episode carries the same pseudonymous subject reference (fresh
 * per episode, so unlinkable across episodes), which keeps the episode's reports in order on the
 * topic. The node's rows hold ids, codes and times only: no name, no date of birth.
 */
@Injectable()
export class ReportMissingEpisodeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(report: MissingEpisode, submittedBy: string): Promise<ReportedMissingEpisode> {
    const existing = await this.episode(this.dataSource.manager, report.episodeId);
    assertMayReport(existing, report);
    let subjectRef = existing?.subject_ref ?? randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.record(report, submittedBy, subjectRef);
      } catch (error) {
        if (!(error instanceof SubjectChanged) || attempt > 0) throw error;
        subjectRef = error.subjectRef;
      }
    }
  }

  private async record(
    report: MissingEpisode,
    submittedBy: string,
    subjectRef: string,
  ): Promise<ReportedMissingEpisode> {
    const messageId = randomUUID();
    // Signed and encrypted to the hub before the transaction: no connection held during the
    // crypto, and neither the outbox row nor the topic holds the child's name in clear.
    const sealed: SealedEnvelope = await this.sender.seal<MissingEpisode>({
      definition: MISSING_EPISODE,
      jti: messageId,
      subjectRef,
      body: JSON.parse(JSON.stringify(report)) as MissingEpisode,
    });
    const at = this.clock.now();
    const reportNumber = await this.dataSource.transaction(async (manager) => {
      // Two reports of one episode at once: one after the other, so their numbers differ.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `missing-episode|${report.episodeId}`,
      ]);
      const current = await this.episode(manager, report.episodeId);
      if (current && current.subject_ref !== subjectRef)
        throw new SubjectChanged(current.subject_ref);
      assertMayReport(current, report);
      const [{ report_count: number }] = (await manager.query(
        `INSERT INTO missing_episode (episode_id, subject_ref, kind, status, found_at, report_count,
           created_by) VALUES ($1, $2, $3, $4, $5, 1, $6)
         ON CONFLICT (episode_id) DO UPDATE SET status = EXCLUDED.status, kind = EXCLUDED.kind,
           found_at = COALESCE(EXCLUDED.found_at, missing_episode.found_at),
           report_count = missing_episode.report_count + 1
         RETURNING report_count`,
        [
          report.episodeId,
          subjectRef,
          report.kind,
          report.status,
          report.foundAt ? new Date(report.foundAt) : null,
          submittedBy,
        ],
      )) as { report_count: number }[];
      await manager.query(
        `INSERT INTO missing_episode_report (message_id, episode_id, report_number, status,
           submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [messageId, report.episodeId, number, report.status, submittedBy, at],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'submitted',
          actor: this.identity.nodeId,
          messageId,
          correlationId: report.episodeId,
          subjectRef,
          messageType: MISSING_EPISODE.type,
          senderNode: this.identity.nodeId,
          payloadDigest: payloadDigest(sealed.jws),
          detail: `report ${number}; ${report.status}; risk ${report.riskGrading}`,
        },
      ]);
      return number;
    });
    this.outbox.wake();
    return { episodeId: report.episodeId, messageId, reportNumber };
  }

  private async episode(
    manager: EntityManager,
    episodeId: string,
  ): Promise<EpisodeRow | undefined> {
    const [row] = (await manager.query(
      'SELECT subject_ref, status, report_count FROM missing_episode WHERE episode_id = $1',
      [episodeId],
    )) as EpisodeRow[];
    return row;
  }
}

/**
 * A found child who goes missing again starts a new episode: its return home interview, its
 * count of recent episodes and its notifications are its own.
 */
function assertMayReport(existing: EpisodeRow | undefined, report: MissingEpisode): void {
  if (existing?.status === 'found' && report.status === 'missing') {
    throw new ConflictException(
      'this episode was reported found; report a new missing episode under a new episodeId',
    );
  }
}
