import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ChainRecord, RECORD_COLUMNS, rowToRecord } from '../chain/chain-record';

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
