import { hash } from 'node:crypto';

import { canonicalRow, ROW_HASH_INDEX, ROW_INDEX } from './canonical-row';

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

export interface ChainFaultAt {
  firstBadSeq: number;
  reason: ChainFault;
  detail: string;
}

const SEQ = ROW_INDEX.seq;
const PREV_HASH = ROW_INDEX.prevHash;

/**
 * The per-row checks of verification, fed rows in seq order as read with CANONICAL_ROW_COLUMNS
 * (canonical-row.ts). For each row, in this order: its seq is the next one (else `sequence gap`
 * at the missing seq), it points at the previous row's stored hash (`prev_hash mismatch`), its
 * members hash to its stored hash (`hash mismatch`), and a signed checkpoint at its seq, if any,
 * recorded that hash (`checkpoint mismatch`). The first fault is kept and later rows are ignored.
 * No I/O: the verifier streams rows in, unit tests feed it arrays.
 */
export class ChainWalk {
  /** The next seq expected; after the last row, one past it. */
  expectedSeq: number;
  /** The stored hash of the last row that passed (at the start: the row before the range). */
  lastHash: string;
  fault: ChainFaultAt | undefined;

  constructor(
    fromSeq: number,
    prevHash: string,
    private readonly checkpoints: ReadonlyMap<number, string> = new Map(),
  ) {
    this.expectedSeq = fromSeq;
    this.lastHash = prevHash;
  }

  /** Checks one row; false once the walk has found a fault (this row's or an earlier one's). */
  next(row: readonly (string | null)[]): boolean {
    if (this.fault) return false;
    const seq = Number(row[SEQ]);
    if (seq !== this.expectedSeq) {
      return this.fail(this.expectedSeq, ChainFaults.gap, `row ${this.expectedSeq} is missing`);
    }
    if (row[PREV_HASH] !== this.lastHash) {
      return this.fail(seq, ChainFaults.link, `row ${seq} does not point at row ${seq - 1}'s hash`);
    }
    const stored = row[ROW_HASH_INDEX] as string;
    // crypto.hash: one call instead of a Hash object per row (Node 20.12+).
    if (hash('sha256', canonicalRow(row), 'hex') !== stored) {
      return this.fail(seq, ChainFaults.hash, `row ${seq}'s content does not match its hash`);
    }
    const signed = this.checkpoints.get(seq);
    if (signed !== undefined && signed !== stored) {
      return this.fail(
        seq,
        ChainFaults.checkpoint,
        `row ${seq}'s hash differs from the signed checkpoint at ${seq}`,
      );
    }
    this.lastHash = stored;
    this.expectedSeq = seq + 1;
    return true;
  }

  /** After the last row: a `sequence gap` if rows up to toSeq did not all arrive. */
  finish(toSeq: number): ChainFaultAt | undefined {
    if (!this.fault && this.expectedSeq <= toSeq) {
      this.fail(this.expectedSeq, ChainFaults.gap, `row ${this.expectedSeq} is missing`);
    }
    return this.fault;
  }

  private fail(firstBadSeq: number, reason: ChainFault, detail: string): false {
    this.fault = { firstBadSeq, reason, detail };
    return false;
  }
}
