import { Inject, Injectable } from '@nestjs/common';
import { signCompact } from '@app/crypto';
import { DataSource } from 'typeorm';

import { canonicalJson } from '../chain/canonical-json';
import { ChainBrokenError, InvalidRangeError } from '../chain/audit-errors';
import { ChainVerifier } from '../chain/chain-verifier.service';
import { CHECKPOINT_SIGNING_KEY, CheckpointSigningKey } from './checkpoint-signing-key.provider';

/** The `typ` of a checkpoint JWS, so it cannot be mistaken for an envelope. */
export const CHECKPOINT_JWS_TYPE = 'sgx-audit-checkpoint+jws';

/**
 * A signed statement "row `seq` of the trail has hash `headHash`". Its JWS payload is the RFC
 * 8785 JSON of {seq, headHash, signedAt}.
 */
export interface Checkpoint {
  seq: number;
  headHash: string;
  signedAt: string;
  kid: string;
  jws: string;
}

const CHECKPOINT_COLUMNS = `seq, head_hash AS "headHash",
  to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "signedAt", kid, jws`;

function toCheckpoint(row: Record<string, unknown>): Checkpoint {
  return { ...(row as unknown as Checkpoint), seq: Number(row.seq) };
}

@Injectable()
export class CheckpointService {
  constructor(
    private readonly db: DataSource,
    private readonly verifier: ChainVerifier,
    @Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
  ) {}

  /** Signs the current head, unless it is already checkpointed; undefined for an empty chain. */
  async signHead(): Promise<Checkpoint | undefined> {
    const head = await this.verifier.head();
    if (head.seq === 0) return undefined;
    return this.checkpointAt(head.seq);
  }

  /**
   * The checkpoint of row `seq`, signed now if there is none. Before signing, the rows since the
   * last earlier checkpoint are verified (that checkpoint's row included, which verify compares
   * with its signed hash), so each signature extends a chain already proved up to its start.
   */
  async checkpointAt(seq: number): Promise<Checkpoint> {
    const existing = await this.find(seq);
    if (existing) return existing;
    const [previous] = (await this.db.query(
      'SELECT max(seq) AS seq FROM audit_checkpoint WHERE seq < $1',
      [seq],
    )) as { seq: string | null }[];
    const verified = await this.verifier.verify({
      fromSeq: previous.seq === null ? 1 : Number(previous.seq),
      toSeq: seq,
    });
    if (!verified.ok) throw new ChainBrokenError(verified);
    if (verified.toSeq !== seq)
      throw new InvalidRangeError('toSeq', `row ${seq} is beyond the head`);

    const signedAt = new Date().toISOString();
    const payload = canonicalJson({ seq, headHash: verified.headHash, signedAt });
    const jws = await signCompact(
      new TextEncoder().encode(payload),
      this.key.privateKey,
      this.key.kid,
      CHECKPOINT_JWS_TYPE,
    );
    // Another instance may have signed the same row meanwhile; either signature is as good.
    await this.db.query(
      `INSERT INTO audit_checkpoint (seq, head_hash, signed_at, kid, jws) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (seq) DO NOTHING`,
      [seq, verified.headHash, signedAt, this.key.kid, jws],
    );
    return (await this.find(seq))!;
  }

  /** The newest checkpoints first. */
  async latest(limit: number): Promise<Checkpoint[]> {
    const rows = (await this.db.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint ORDER BY seq DESC LIMIT $1`,
      [limit],
    )) as Record<string, unknown>[];
    return rows.map(toCheckpoint);
  }

  private async find(seq: number): Promise<Checkpoint | undefined> {
    const [row] = (await this.db.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint WHERE seq = $1`,
      [seq],
    )) as Record<string, unknown>[];
    return row ? toCheckpoint(row) : undefined;
  }
}
