import { Injectable } from '@nestjs/common';
import { Rejection } from '@app/contracts';
import { DataSource, EntityManager } from 'typeorm';

/** One refusal of a copy of a message this node sent, as the sender's status shows it. */
export interface RefusedCopy {
  code: string;
  reason: string;
  at: string;
}

/**
 * The `refused_copy` table: the hub's refusals of copies of this node's messages (issue 12
 * finding 5). Recorded instead of any change to the message's own state.
 */
@Injectable()
export class RefusedCopies {
  constructor(private readonly dataSource: DataSource) {}

  /** Records the refusal once (by the rejection's own id), in the inbox's transaction. */
  async record(manager: EntityManager, rejectionId: string, rejection: Rejection): Promise<void> {
    await manager.query(
      `INSERT INTO refused_copy (rejection_id, message_id, code, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (rejection_id) DO NOTHING`,
      [rejectionId, rejection.messageId, rejection.code, rejection.reason.slice(0, 1000)],
    );
  }

  /** The refused copies of each of these messages, oldest first. */
  async of(messageIds: string[]): Promise<Map<string, RefusedCopy[]>> {
    const rows = (await this.dataSource.query(
      `SELECT message_id, code, reason, refused_at FROM refused_copy
        WHERE message_id = ANY($1::uuid[]) ORDER BY refused_at, rejection_id`,
      [messageIds],
    )) as { message_id: string; code: string; reason: string; refused_at: Date }[];
    const copies = new Map<string, RefusedCopy[]>();
    for (const row of rows) {
      const list = copies.get(row.message_id) ?? [];
      list.push({ code: row.code, reason: row.reason, at: new Date(row.refused_at).toISOString() });
      copies.set(row.message_id, list);
    }
    return copies;
  }
}
