import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { cursorTimeSql, PageCursor } from '../lists/newest-first-page';

/** An episode as the list shows it: ids, kind, standing and times; never the child. */
export interface MissingEpisodeListRow {
  episode_id: string;
  kind: string;
  status: string;
  found_at: Date | null;
  report_count: number;
  created_at: Date;
  rhi_mailbox_id: string | null;
  rhi_message_id: string | null;
  rhi_received_at: Date | null;
  rhi_overdue_at: Date | null;
  cursor_at: string;
  cursor_id: string;
}

/** The SQL of the missing_episode table: the episodes this node reported. */
@Injectable()
export class MissingEpisodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Up to `take` episodes, newest first, older than the cursor's row when one is given. */
  async newestFirst(take: number, after: PageCursor | null): Promise<MissingEpisodeListRow[]> {
    return (await this.dataSource.query(
      `SELECT episode_id, kind, status, found_at, report_count, created_at, rhi_mailbox_id,
              rhi_message_id, rhi_received_at, rhi_overdue_at,
              ${cursorTimeSql('created_at')} AS cursor_at, episode_id::text AS cursor_id
         FROM missing_episode
        WHERE $2::timestamptz IS NULL OR (created_at, episode_id) < ($2::timestamptz, $3::uuid)
        ORDER BY created_at DESC, episode_id DESC
        LIMIT $1`,
      [take, after?.createdAt ?? null, after?.id ?? null],
    )) as MissingEpisodeListRow[];
  }
}
