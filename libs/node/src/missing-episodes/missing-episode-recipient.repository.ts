import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RecipientRow } from './missing-episode-status.service';

export interface EpisodeRecipientRow extends RecipientRow {
  episode_id: string;
}

/** The SQL of the missing_episode_recipient table: what the hub said about each recipient. */
@Injectable()
export class MissingEpisodeRecipientRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Per episode and recipient, the row of the highest-numbered report the hub answered about. */
  async latestOf(episodeIds: string[]): Promise<EpisodeRecipientRow[]> {
    if (!episodeIds.length) return [];
    return (await this.dataSource.query(
      `SELECT DISTINCT ON (r.episode_id, r.recipient) r.*, p.report_number
         FROM missing_episode_recipient r JOIN missing_episode_report p USING (message_id)
        WHERE r.episode_id = ANY($1::uuid[])
        ORDER BY r.episode_id, r.recipient, p.report_number DESC`,
      [episodeIds],
    )) as EpisodeRecipientRow[];
  }
}
