import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ChainRecord, RECORD_COLUMNS, rowToRecord } from '../chain/chain-record';
import { asUuid } from './trail-sql';

export interface TrailSearch {
  subjectRef?: string;
  /** Matches the sending or the receiving agency. */
  agency?: string;
  mailbox?: string;
  messageType?: string;
  action?: string;
  /** occurredAt >= from and < to, ISO 8601. */
  from?: string;
  to?: string;
  /** Keyset paging: rows after this seq. */
  afterSeq?: number;
  limit: number;
}

export interface TrailPage {
  rows: ChainRecord[];
  /** Pass as afterSeq for the next page; absent on the last page. */
  nextAfterSeq?: number;
}

/** The most rows a message's trail returns; a real message has a few dozen events. */
export const MESSAGE_TRAIL_LIMIT = 10_000;

/**
 * How many hops a correlation is followed: submission → delivery (its view for one mailbox) →
 * a reply that answers the delivery (a referral outcome) → the reply's own delivery.
 */
export const CORRELATION_DEPTH = 4;

/** A message's whole story: the rows of the message its correlation starts at, and every message correlated to it. */
export interface CorrelationTrail {
  /** The message the story starts at (the submission a delivery was a view of, say). */
  messageId: string;
  /** Every message id in the story, the first one first. */
  messageIds: string[];
  rows: ChainRecord[];
}

/** Reads the trail for auditors: metadata rows in chain order, never anything else. */
@Injectable()
export class TrailQueryService {
  constructor(private readonly db: DataSource) {}

  async messageTrail(messageId: string): Promise<ChainRecord[]> {
    const rows = (await this.db.query(
      `SELECT ${RECORD_COLUMNS} FROM audit_record WHERE message_id = $1 ORDER BY seq LIMIT ${MESSAGE_TRAIL_LIMIT}`,
      [messageId],
    )) as Record<string, unknown>[];
    return rows.map(rowToRecord);
  }

  /**
   * A message's story following its correlation. A police submission's own rows are only
   * submitted, verified and policy-decision: each delivery is a message of its own (its view for
   * one mailbox) whose rows — routed, delivered, acknowledged, escalated — carry the submission
   * as `correlationId`, and a reply (a referral outcome) carries the delivery it answers. So the
   * story first walks up from the asked message to the one it correlates to, then down to every
   * message correlated to that, CORRELATION_DEPTH hops each way, and returns all their rows in
   * chain order (metadata only, like every read).
   */
  async correlationTrail(messageId: string): Promise<CorrelationTrail> {
    let root = messageId;
    for (let hop = 0; hop < CORRELATION_DEPTH; hop++) {
      const [parent] = (await this.db.query(
        `SELECT ${asUuid('r.correlation_id')}::text AS id FROM audit_record r
          WHERE r.message_id = $1 AND r.correlation_id IS NOT NULL AND r.correlation_id <> $1::text
            AND ${asUuid('r.correlation_id')} IS NOT NULL
            AND EXISTS (SELECT 1 FROM audit_record p WHERE p.message_id = ${asUuid('r.correlation_id')})
          ORDER BY r.seq LIMIT 1`,
        [root],
      )) as { id: string }[];
      if (!parent) break;
      root = parent.id;
    }
    const ids = (
      (await this.db.query(
        `WITH RECURSIVE story(id, depth) AS (
           SELECT $1::uuid, 0
           UNION
           SELECT r.message_id, s.depth + 1 FROM story s
             JOIN audit_record r ON r.correlation_id = s.id::text
            WHERE r.message_id IS NOT NULL AND s.depth < ${CORRELATION_DEPTH}
         )
         SELECT id::text AS id, min(depth) AS depth FROM story GROUP BY id ORDER BY min(depth), id`,
        [root],
      )) as { id: string }[]
    ).map((row) => row.id);
    const rows = (await this.db.query(
      `SELECT ${RECORD_COLUMNS} FROM audit_record
        WHERE message_id = ANY($1::uuid[]) OR correlation_id = ANY($2::text[])
        ORDER BY seq LIMIT ${MESSAGE_TRAIL_LIMIT}`,
      [ids, ids],
    )) as Record<string, unknown>[];
    return { messageId: root, messageIds: ids, rows: rows.map(rowToRecord) };
  }

  async search(filter: TrailSearch): Promise<TrailPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (filter.subjectRef !== undefined) add((p) => `subject_ref = ${p}`, filter.subjectRef);
    if (filter.agency !== undefined) {
      add((p) => `(sender_agency = ${p} OR recipient_agency = ${p})`, filter.agency);
    }
    if (filter.mailbox !== undefined) add((p) => `recipient_mailbox = ${p}`, filter.mailbox);
    if (filter.messageType !== undefined) add((p) => `message_type = ${p}`, filter.messageType);
    if (filter.action !== undefined) add((p) => `action = ${p}`, filter.action);
    if (filter.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
    if (filter.to !== undefined) add((p) => `occurred_at < ${p}::timestamptz`, filter.to);
    add((p) => `seq > ${p}`, filter.afterSeq ?? 0);
    params.push(filter.limit + 1);
    const rows = (await this.db.query(
      `SELECT ${RECORD_COLUMNS} FROM audit_record WHERE ${where.join(' AND ')}
        ORDER BY seq LIMIT $${params.length}`,
      params,
    )) as Record<string, unknown>[];
    const page = rows.slice(0, filter.limit).map(rowToRecord);
    return rows.length > filter.limit
      ? { rows: page, nextAfterSeq: page[page.length - 1].seq }
      : { rows: page };
  }
}
