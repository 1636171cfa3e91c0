import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { CANONICAL_ROW_COLUMNS } from './canonical-row';
import { GENESIS_HASH } from './chain-record';
import { ChainFault, ChainFaults, ChainWalk } from './chain-walk';
import { streamRows } from './row-stream';

export { ChainFaults } from './chain-walk';
export type { ChainFault } from './chain-walk';

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

/**
 * Rows per statement. Rows are streamed, not collected, so this bounds only how many rows are read
 * and dropped after a fault, and how long one statement runs.
 */
export const VERIFY_BATCH = 100_000;

const ROWS_SQL = `SELECT ${CANONICAL_ROW_COLUMNS} FROM audit_record WHERE seq BETWEEN $1 AND $2 ORDER BY seq`;

/**
 * Recomputes the chain from the rows alone and names the first row that does not fit. Rows are
 * read in seq order by primary-key ranges on one connection, streamed into ChainWalk (the per-row
 * checks) as PostgreSQL sends them, in array row mode with every value left as PostgreSQL's text
 * and hashed through canonicalRow: Node builds no row objects and parses no dates.
 */
@Injectable()
export class ChainVerifier {
  /** Rows per statement; tests lower it to put batch boundaries among a few rows. */
  batchSize = VERIFY_BATCH;

  constructor(private readonly db: DataSource) {}

  /** The head row, and the highest seq in the table read in the same snapshot. */
  async head(): Promise<{ seq: number; hash: string; maxRowSeq: number }> {
    const [row] = (await this.db.query(HEAD_SQL)) as HeadRow[];
    return headOf(row);
  }

  /**
   * Verifies rows fromSeq..toSeq (default: the whole chain up to the current head). A range's
   * first row must link to its predecessor's stored hash, and a range that ends at the head must
   * match the head row, so rows deleted from the end are found too.
   */
  async verify(range: SeqRange = {}): Promise<VerifyResult> {
    // A client of the DataSource's own pool: verification talks to pg directly (streaming,
    // array rows, no type parsing), which TypeORM's query runner does not offer.
    const [client, release] = (await (
      this.db.driver as PostgresDriver
    ).obtainMasterConnection()) as [PoolClient, (destroy?: unknown) => void];
    let broken: unknown;
    try {
      // SET LOCAL: the DateStyle canonicalRow reads timestamps in, for this transaction only.
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL DateStyle = 'ISO, MDY'`);
      const result = await this.verifyOn(client, range);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      throw error;
    } finally {
      // A connection that could not roll back is closed rather than returned to the pool.
      release(broken);
    }
  }

  private async verifyOn(client: PoolClient, range: SeqRange): Promise<VerifyResult> {
    const head = headOf(((await client.query(HEAD_SQL)).rows as HeadRow[])[0]);
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
      const [before] = (
        await client.query('SELECT hash FROM audit_record WHERE seq = $1', [fromSeq - 1])
      ).rows as { hash: string }[];
      if (!before) return fail(fromSeq - 1, ChainFaults.gap, `row ${fromSeq - 1} is missing`);
      expectedPrev = before.hash;
    }

    const checkpoints = new Map<number, string>(
      (
        (
          await client.query(
            'SELECT seq, head_hash FROM audit_checkpoint WHERE seq BETWEEN $1 AND $2',
            [fromSeq, toSeq],
          )
        ).rows as { seq: string; head_hash: string }[]
      ).map((row) => [Number(row.seq), row.head_hash]),
    );

    const walk = new ChainWalk(fromSeq, expectedPrev, checkpoints);
    for (let from = fromSeq; from <= toSeq && !walk.fault; from += this.batchSize) {
      const to = Math.min(toSeq, from + this.batchSize - 1);
      await streamRows(client, ROWS_SQL, [from, to], (row) => walk.next(row));
    }
    const fault = walk.finish(toSeq);
    if (fault) return fail(fault.firstBadSeq, fault.reason, fault.detail);

    const lastHash = walk.lastHash;
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

const HEAD_SQL = `SELECT seq, hash, (SELECT max(seq) FROM audit_record) AS max_row_seq
   FROM audit_chain_head WHERE id = 1`;

interface HeadRow {
  seq: string;
  hash: string;
  max_row_seq: string | null;
}

function headOf(row: HeadRow): { seq: number; hash: string; maxRowSeq: number } {
  return { seq: Number(row.seq), hash: row.hash, maxRowSeq: Number(row.max_row_seq ?? 0) };
}
