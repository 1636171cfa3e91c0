import { Injectable } from '@nestjs/common';
import { RETURN_HOME_INTERVIEW_DUE_HOURS } from '@app/contracts';

import { decodeCursor, NewestFirstPage, pageOf } from '../lists/newest-first-page';
import {
  EpisodeRecipientRow,
  MissingEpisodeRecipientRepository,
} from './missing-episode-recipient.repository';
import { MissingEpisodeListRow, MissingEpisodeRepository } from './missing-episode.repository';
import { MissingEpisodeRecipientView, recipientStatus } from './missing-episode-status.service';
import { recipientFactsView } from '../recipients/recipient-status';

/** One episode of GET /missing-episodes: its standing and each recipient's, no outcome text. */
export interface MissingEpisodeSummary {
  episodeId: string;
  kind: string;
  status: string;
  reportedAt: string;
  foundAt: string | null;
  reportCount: number;
  returnHomeInterview: {
    dueAt: string | null;
    mailboxId: string | null;
    overdueAt: string | null;
    receivedAt: string | null;
  };
  recipients: MissingEpisodeRecipientView[];
}

export type MissingEpisodePage = NewestFirstPage<MissingEpisodeSummary>;

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/**
 * The node's own missing episodes, newest first, each with every recipient's status as
 * GET /missing-episodes/:episodeId gives it (the same rule, recipientStatus). The interview's
 * outcome is left to the episode's own endpoint: a list decrypts nothing.
 */
@Injectable()
export class MissingEpisodeListService {
  constructor(
    private readonly episodes: MissingEpisodeRepository,
    private readonly recipients: MissingEpisodeRecipientRepository,
  ) {}

  async page(limit: number, cursor?: string): Promise<MissingEpisodePage> {
    const rows = await this.episodes.newestFirst(limit + 1, cursor ? decodeCursor(cursor) : null);
    const recipients = await this.recipients.latestOf(
      rows.slice(0, limit).map((row) => row.episode_id),
    );
    return pageOf(rows, limit, (row) =>
      this.summary(
        row,
        recipients.filter((recipient) => recipient.episode_id === row.episode_id),
      ),
    );
  }

  private summary(
    row: MissingEpisodeListRow,
    recipients: EpisodeRecipientRow[],
  ): MissingEpisodeSummary {
    const interview = {
      mailboxId: row.rhi_mailbox_id,
      received: Boolean(row.rhi_message_id),
      overdue: Boolean(row.rhi_overdue_at),
    };
    const foundAt = row.found_at ? new Date(row.found_at) : null;
    return {
      episodeId: row.episode_id,
      kind: row.kind,
      status: row.status,
      reportedAt: new Date(row.created_at).toISOString(),
      foundAt: iso(foundAt),
      reportCount: row.report_count,
      returnHomeInterview: {
        dueAt: foundAt
          ? new Date(foundAt.getTime() + RETURN_HOME_INTERVIEW_DUE_HOURS * 3_600_000).toISOString()
          : null,
        mailboxId: row.rhi_mailbox_id,
        overdueAt: iso(row.rhi_overdue_at),
        receivedAt: iso(row.rhi_received_at),
      },
      recipients: recipients.map((recipient) => ({
        mailboxId: recipient.recipient,
        status: recipientStatus(recipient, interview),
        messageId: recipient.message_id,
        reportNumber: recipient.report_number,
        ...recipientFactsView(recipient),
      })),
    };
  }
}
