import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ChainRecord, GENESIS_HASH, RECORD_COLUMNS, recordHash } from './chain-record';

/** Why a row does not fit the chain. */
export const ChainFaults = {
  /** A sequence number is missing: a row was deleted (or the head says more rows exist). */
  gap: 'sequence gap',
  /** The row does not point at the previous row's hash: a row was inserted, moved or reordered. */
  link: 'prev_hash mismatch',
  /** The row's content does not hash to its stored hash: the row was altered. */
  hash: 'hash mismatch',
  /** The row's hash differs from the one a signed checkpoint recorded: the chain was rewritten. */
  checkpoint: 'checkpoint mismatch',
  /** The head row disagrees with the last row of the chain. */
  head: 'head mismatch',
} as const;
export type ChainFault = (typeof ChainFaults)[keyof typeof ChainFaults];

export type VerifyResult =
  | { ok: true; fromSeq: number; toSeq: number; rows: number; headSeq: number; headHash: string }
  | {
      ok: false;
      fromSeq: number;
      toSeq: number;
      firstBadSeq: number;
      reason: ChainFault;
      detail: string;
    };

export interface SeqRange {
  fromSeq?: number;
  toSeq?: number;
}

/** Rows fetched per query: large enough to amortise round trips, small enough for memory. */
export const VERIFY_BATCH = 10_000;

/**
 * Recomputes the chain from the rows alone and names the first row that does not fit. Rows are
 * read in seq order by primary-key ranges, the next batch fetched while this one is hashed.
 */
@Injectable()
export class ChainVerifier {
  constructor(private readonly db: DataSource) {}

  /** The head row, and the highest seq in the table read in the same snapshot. */
  async head(): Promise<{ seq: number; hash: string; maxRowSeq: number }> {
    const [row] = (await this.db.query(
      `SELECT seq, hash, (SELECT max(seq) FROM audit_record) AS max_row_seq
         FROM audit_chain_head WHERE id = 1`,
    )) as { seq: string; hash: string; max_row_seq: string | null }[];
    return { seq: Number(row.seq), hash: row.hash, maxRowSeq: Number(row.max_row_seq ?? 0) };
  }

  /**
   * Verifies rows fromSeq..toSeq (default: the whole chain up to the current head). A range's
   * first row must link to its predecessor's stored hash, and a range that ends at the head must
   * match the head row, so rows deleted from the end are found too.
   */
  async verify(range: SeqRange = {}): Promise<VerifyResult> {
    const head = await this.head();
    const fromSeq = Math.max(1, range.fromSeq ?? 1);
    const toSeq = Math.min(range.toSeq ?? head.seq, head.seq);
    const fail = (firstBadSeq: number, reason: ChainFault, detail: string): VerifyResult => ({
      ok: false,
      fromSeq,
      toSeq,
      firstBadSeq,
      reason,
      detail,
    });
    if (toSeq < fromSeq) {
      return { ok: true, fromSeq, toSeq, rows: 0, headSeq: toSeq, headHash: head.hash };
    }

    let expectedPrev = GENESIS_HASH;
    if (fromSeq > 1) {
      const [before] = (await this.db.query('SELECT hash FROM audit_record WHERE seq = $1', [
        fromSeq - 1,
      ])) as { hash: string }[];
      if (!before) return fail(fromSeq - 1, ChainFaults.gap, `row ${fromSeq - 1} is missing`);
      expectedPrev = before.hash;
    }

    const checkpoints = new Map<number, string>(
      (
        (await this.db.query(
          'SELECT seq, head_hash FROM audit_checkpoint WHERE seq BETWEEN $1 AND $2',
          [fromSeq, toSeq],
        )) as { seq: string; head_hash: string }[]
      ).map((row) => [Number(row.seq), row.head_hash]),
    );

    const fetch = (from: number) =>
      this.db.query(
        `SELECT ${RECORD_COLUMNS} FROM audit_record WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT ${VERIFY_BATCH}`,
        [from, toSeq],
      ) as Promise<Record<string, unknown>[]>;

    let expectedSeq = fromSeq;
    let lastHash = expectedPrev;
    let next: Promise<Record<string, unknown>[]> | null = fetch(fromSeq);
    while (next) {
      const rows: Record<string, unknown>[] = await next;
      next =
        rows.length === VERIFY_BATCH && Number(rows[rows.length - 1].seq) < toSeq
          ? fetch(Number(rows[rows.length - 1].seq) + 1)
          : null;
      for (const row of rows) {
        // Straight from the driver's row, without copying: this loop runs for every row.
        const record = row as unknown as ChainRecord;
        const seq = Number(row.seq);
        if (seq !== expectedSeq) {
          next?.catch(() => undefined);
          return fail(expectedSeq, ChainFaults.gap, `row ${expectedSeq} is missing`);
        }
        if (record.prevHash !== expectedPrev) {
          next?.catch(() => undefined);
          return fail(seq, ChainFaults.link, `row ${seq} does not point at row ${seq - 1}'s hash`);
        }
        const hash = record.hash;
        if (recordHash(record) !== hash) {
          next?.catch(() => undefined);
          return fail(seq, ChainFaults.hash, `row ${seq}'s content does not match its hash`);
        }
        const signed = checkpoints.get(seq);
        if (signed !== undefined && signed !== hash) {
          next?.catch(() => undefined);
          return fail(
            seq,
            ChainFaults.checkpoint,
            `row ${seq}'s hash differs from the signed checkpoint at ${seq}`,
          );
        }
        expectedPrev = hash;
        lastHash = hash;
        expectedSeq += 1;
      }
    }
    if (expectedSeq <= toSeq) {
      return fail(expectedSeq, ChainFaults.gap, `row ${expectedSeq} is missing`);
    }
    if (toSeq === head.seq && lastHash !== head.hash) {
      return fail(toSeq, ChainFaults.head, `the head records another hash for row ${toSeq}`);
    }
    if (toSeq === head.seq && head.maxRowSeq > head.seq) {
      // Appends move the head in the same transaction as their rows, so this row was put there
      // some other way.
      return fail(head.seq + 1, ChainFaults.head, `row ${head.seq + 1} is beyond the head`);
    }
    return {
      ok: true,
      fromSeq,
      toSeq,
      rows: toSeq - fromSeq + 1,
      headSeq: toSeq,
      headHash: lastHash,
    };
  }
}
