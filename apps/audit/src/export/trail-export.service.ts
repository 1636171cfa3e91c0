import { Injectable } from '@nestjs/common';
import { decodeProtectedHeader, JWK } from 'jose';
import { DataSource } from 'typeorm';

import { InvalidRangeError } from '../chain/audit-errors';
import { ChainRecord, RECORD_COLUMNS, rowToRecord } from '../chain/chain-record';
import { ChainVerifier, SeqRange } from '../chain/chain-verifier.service';
import { Checkpoint, CheckpointService } from '../checkpoints/checkpoint.service';
import { SigningKeyStore } from '../signatures/signing-key-store.service';

/** The most rows one export holds; larger ranges are exported in parts, each with its checkpoint. */
export const MAX_EXPORT_ROWS = 100_000;

export const EXPORT_FORMAT = 'sgx-audit-export/1';

/** A range of the trail that verifies offline: rows with their hashes, and a signed checkpoint of the last. */
export interface TrailExport {
  format: typeof EXPORT_FORMAT;
  fromSeq: number;
  toSeq: number;
  exportedAt: string;
  /** Where the checkpoint's public key is published, relative to the audit service. */
  jwksPath: string;
  rows: ChainRecord[];
  checkpoint: Checkpoint;
  /**
   * The public keys the rows' signatures were verified with when they were appended (a JWK Set,
   * matched by the kid of each row's `signature`), and whose key each is: an offline verifier
   * checks every row's origin with them (docs/audit.md).
   */
  signingKeys: { keys: JWK[] };
  signers: Record<string, string>;
}

@Injectable()
export class TrailExportService {
  constructor(
    private readonly db: DataSource,
    private readonly verifier: ChainVerifier,
    private readonly checkpoints: CheckpointService,
    private readonly signingKeys: SigningKeyStore,
  ) {}

  async exportRange(range: SeqRange): Promise<TrailExport> {
    const head = await this.verifier.head();
    if (head.seq === 0) throw new InvalidRangeError('toSeq', 'the trail is empty');
    const toSeq = range.toSeq ?? head.seq;
    const fromSeq = range.fromSeq ?? Math.max(1, toSeq - MAX_EXPORT_ROWS + 1);
    if (toSeq > head.seq) {
      throw new InvalidRangeError('toSeq', `toSeq must not be beyond the head (${head.seq})`);
    }
    if (fromSeq > toSeq) throw new InvalidRangeError('fromSeq', 'fromSeq must not exceed toSeq');
    if (toSeq - fromSeq + 1 > MAX_EXPORT_ROWS) {
      throw new InvalidRangeError('toSeq', `an export holds at most ${MAX_EXPORT_ROWS} rows`);
    }
    // Signs the range's last row if no checkpoint covers it yet, after verifying the chain.
    const checkpoint = await this.checkpoints.checkpointAt(toSeq);
    const rows = (await this.db.query(
      `SELECT ${RECORD_COLUMNS} FROM audit_record WHERE seq BETWEEN $1 AND $2 ORDER BY seq`,
      [fromSeq, toSeq],
    )) as Record<string, unknown>[];
    const records = rows.map(rowToRecord);
    const kids = [
      ...new Set(records.flatMap((record) => (record.signature ? [kidOf(record.signature)] : []))),
    ].filter((kid): kid is string => kid !== undefined);
    const keys = await this.signingKeys.find(kids);
    return {
      format: EXPORT_FORMAT,
      fromSeq,
      toSeq,
      exportedAt: new Date().toISOString(),
      jwksPath: '/.well-known/jwks.json',
      rows: records,
      checkpoint,
      signingKeys: { keys: keys.map((key) => key.publicJwk) },
      signers: Object.fromEntries(keys.map((key) => [key.kid, key.nodeId])),
    };
  }
}

/** The kid of a stored signature (the appender verified its header before storing it). */
function kidOf(jws: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(jws);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}
