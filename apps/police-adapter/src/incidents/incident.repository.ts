import { Injectable } from '@nestjs/common';
import { cursorTimeSql, PageCursor } from '@app/node';
import { DataSource } from 'typeorm';

/** An incident as the force's system sees it here: its ids and when it was submitted. */
export interface IncidentRow {
  id: string;
  police_reference: string;
  created_at: Date;
  cursor_at: string;
  cursor_id: string;
}

const COLUMNS = `id, police_reference, created_at,
  ${cursorTimeSql('created_at')} AS cursor_at, id::text AS cursor_id`;

/** The SQL that reads the incident table. */
@Injectable()
export class IncidentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(incidentId: string): Promise<IncidentRow | undefined> {
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM incident WHERE id = $1`, [
      incidentId,
    ])) as IncidentRow[];
    return row;
  }

  /** Up to `take` incidents, newest first, older than the cursor's row when one is given. */
  async newestFirst(take: number, after: PageCursor | null): Promise<IncidentRow[]> {
    return (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM incident
        WHERE $2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid)
        ORDER BY created_at DESC, id DESC
        LIMIT $1`,
      [take, after?.createdAt ?? null, after?.id ?? null],
    )) as IncidentRow[];
  }
}
