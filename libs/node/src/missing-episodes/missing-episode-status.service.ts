import { Injectable, NotFoundException } from '@nestjs/common';
import { RETURN_HOME_INTERVIEW_DUE_HOURS } from '@app/contracts';
import { DataSource } from 'typeorm';

import { NodeKeys } from '../keys/node-keys.service';
import {
  RecipientFacts,
  RecipientFactsView,
  recipientFactsView,
  RecipientStatus,
  recipientStatusOf,
} from '../recipients/recipient-status';

/** A recipient's status, or the MASH's once the return home interview outcome arrived. */
export type MissingEpisodeRecipientStatus = RecipientStatus | 'return-home-interview-received';

interface EpisodeRow {
  episode_id: string;
  kind: string;
  status: string;
  found_at: Date | null;
  report_count: number;
  created_at: Date;
  rhi_mailbox_id: string | null;
  rhi_message_id: string | null;
  rhi_outcome: string | null;
  rhi_received_at: Date | null;
  rhi_overdue_at: Date | null;
}

interface ReportRow {
  message_id: string;
  answered: boolean;
  report_number: number;
  status: string;
  submitted_at: Date;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
}

export interface RecipientRow extends RecipientFacts {
  message_id: string;
  recipient: string;
  report_number: number;
}

/** One report of the episode as its sender sees it. */
export interface MissingEpisodeReportView {
  messageId: string;
  reportNumber: number;
  /** What the report said: missing or found. */
  reported: string;
  /** submitted: the hub has not answered yet; routed: it answered for some recipient. */
  status: 'rejected' | 'routed' | 'submitted';
  submittedAt: string | null;
  rejection: { code: string | null; reason: string | null; at: string | null } | null;
}

/** A recipient mailbox's standing, from the latest report that reached or concerned it. */
export interface MissingEpisodeRecipientView extends RecipientFactsView {
  mailboxId: string;
  status: MissingEpisodeRecipientStatus;
  messageId: string;
  reportNumber: number;
}

/** What the reporting system sees of its episode (GET /missing-episodes/:episodeId). */
export interface MissingEpisodeStatus {
  episodeId: string;
  kind: string;
  status: string;
  foundAt: string | null;
  reports: MissingEpisodeReportView[];
  recipients: MissingEpisodeRecipientView[];
  returnHomeInterview: {
    /** 72 hours after the child was found. */
    dueAt: string | null;
    mailboxId: string | null;
    overdueAt: string | null;
    receivedAt: string | null;
    /** The outcome's view as the hub signed it, decrypted on read. */
    outcome: Record<string, unknown> | null;
  };
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * A recipient's status from the latest report the hub answered about for it: a refusal of that
 * report first, then the return home interview (the MASH's outcome closes its part, an overdue
 * interview is overdue even after an acknowledgement), then as for any recipient
 * (recipientStatusOf: acknowledged, overdue, delivered).
 */
export function recipientStatus(
  row: RecipientRow,
  interview: { mailboxId: string | null; received: boolean; overdue: boolean },
): MissingEpisodeRecipientStatus {
  const status = recipientStatusOf(row);
  if (status === 'rejected' || status === 'sharing-refused') return status;
  if (interview.mailboxId === row.recipient) {
    if (interview.received) return 'return-home-interview-received';
    if (interview.overdue) return 'overdue';
  }
  return status;
}

/**
 * What the reporting system sees of its episode: each report (submitted, or rejected as a whole),
 * each recipient mailbox's status from the latest report that reached or concerned it, and the
 * return home interview (due 72 hours after the child was found; overdue; its outcome, decrypted
 * from the inbox on read).
 */
@Injectable()
export class MissingEpisodeStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: NodeKeys,
  ) {}

  async status(episodeId: string): Promise<MissingEpisodeStatus> {
    const [episode] = (await this.dataSource.query(
      'SELECT * FROM missing_episode WHERE episode_id = $1',
      [episodeId],
    )) as EpisodeRow[];
    if (!episode) throw new NotFoundException('no such missing episode reported by this node');
    const reports = (await this.dataSource.query(
      `SELECT p.*, EXISTS (SELECT 1 FROM missing_episode_recipient r
                            WHERE r.message_id = p.message_id) AS answered
         FROM missing_episode_report p WHERE p.episode_id = $1 ORDER BY p.report_number`,
      [episodeId],
    )) as ReportRow[];
    // Per recipient, the row of the highest-numbered report the hub said something about.
    const recipients = (await this.dataSource.query(
      `SELECT DISTINCT ON (r.recipient) r.*, p.report_number
         FROM missing_episode_recipient r JOIN missing_episode_report p USING (message_id)
        WHERE r.episode_id = $1 ORDER BY r.recipient, p.report_number DESC`,
      [episodeId],
    )) as RecipientRow[];
    const interview = {
      mailboxId: episode.rhi_mailbox_id,
      received: Boolean(episode.rhi_message_id),
      overdue: Boolean(episode.rhi_overdue_at),
    };
    const foundAt = episode.found_at ? new Date(episode.found_at) : null;
    return {
      episodeId,
      kind: episode.kind,
      status: episode.status,
      foundAt: iso(foundAt),
      reports: reports.map((report) => ({
        messageId: report.message_id,
        reportNumber: report.report_number,
        reported: report.status,
        status: report.rejected_at ? 'rejected' : report.answered ? 'routed' : 'submitted',
        submittedAt: iso(report.submitted_at),
        rejection: report.rejected_at
          ? {
              code: report.rejection_code,
              reason: report.rejection_reason,
              at: iso(report.rejected_at),
            }
          : null,
      })),
      recipients: recipients.map((row) => ({
        mailboxId: row.recipient,
        status: recipientStatus(row, interview),
        messageId: row.message_id,
        reportNumber: row.report_number,
        ...recipientFactsView(row),
      })),
      returnHomeInterview: {
        dueAt: foundAt
          ? new Date(foundAt.getTime() + RETURN_HOME_INTERVIEW_DUE_HOURS * 3_600_000).toISOString()
          : null,
        mailboxId: episode.rhi_mailbox_id,
        overdueAt: iso(episode.rhi_overdue_at),
        receivedAt: iso(episode.rhi_received_at),
        outcome: episode.rhi_message_id ? await this.outcome(episode.rhi_message_id) : null,
      },
    };
  }

  /** The outcome view as the hub signed it, decrypted from the inbox (no plaintext at rest). */
  private async outcome(messageId: string): Promise<Record<string, unknown> | null> {
    const [row] = (await this.dataSource.query(
      'SELECT body FROM inbox_message WHERE message_id = $1',
      [messageId],
    )) as { body: string | null }[];
    // Purged under a retention rule (libs/retention): the status keeps its codes and times.
    if (!row?.body) return null;
    const jws = await this.keys.decrypt(row.body);
    const claims = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as {
      body: Record<string, unknown>;
    };
    return claims.body;
  }
}
