import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { isSealedAtRest, sealAtRest } from '@app/crypto';
import { describeError } from '@app/messaging';
import { DataSource } from 'typeorm';

import { NodeKeys } from './node-keys.service';

/** A column of this node's schema that holds personal free text, sealed at rest. */
export interface SealedColumn {
  table: string;
  /** The row's primary key column (one column). */
  key: string;
  column: string;
}

/** The node schema's sealed columns every node has (an adapter may add its own). */
export const NODE_SEALED_COLUMNS: readonly SealedColumn[] = [
  // The referral outcome's free text social care sent back to the referrer.
  { table: 'referral', key: 'referral_id', column: 'next_steps' },
];

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** Codes of a sealed value this node's keys cannot open (not of a fault to retry). */
const UNREADABLE_CODES: readonly ExchangeErrorCode[] = [
  ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
  ExchangeErrorCode.DECRYPTION_FAILED,
];
const BACKFILL_BATCH = 500;

/**
 * Personal free text a node stores outside its inbox is sealed the way the inbox holds a
 * delivery: a JWE to the node's own encryption key (sealAtRest), opened on read with the same
 * keyring. Rows written before this existed are sealed at start-up (`sealLegacyRows`), in
 * batches, each row only if it still holds the plaintext that was read, so running instances
 * side by side is safe. A value stored sealed is opened by `open`; legacy plaintext that the
 * start-up pass has not reached yet is returned as it is.
 */
@Injectable()
export class AtRestSealer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AtRestSealer.name);
  private readonly columns: SealedColumn[] = [...NODE_SEALED_COLUMNS];

  constructor(
    private readonly keys: NodeKeys,
    private readonly dataSource: DataSource,
  ) {}

  /** Adds an adapter's own sealed column to the start-up pass. */
  register(column: SealedColumn): void {
    for (const name of [column.table, column.key, column.column]) {
      if (!IDENTIFIER.test(name)) throw new Error(`invalid identifier ${name}`);
    }
    this.columns.push(column);
  }

  async seal(text: string): Promise<string> {
    return sealAtRest(text, await this.keys.keyring());
  }

  async open(stored: string): Promise<string> {
    return isSealedAtRest(stored) ? this.keys.decrypt(stored) : stored;
  }

  /** `seal` for an optional column: null and undefined stay null. */
  async sealOptional(text: string | null | undefined): Promise<string | null> {
    return text === null || text === undefined ? null : this.seal(text);
  }

  /**
   * `open` for a value shown among others (a list): null when it is sealed to a key this node
   * no longer holds, so one such row does not make the whole list unreadable (a single item
   * read still answers 409 with the code).
   */
  async openInList(stored: string): Promise<string | null> {
    try {
      return await this.open(stored);
    } catch (error) {
      if (error instanceof ExchangeError && UNREADABLE_CODES.includes(error.code)) return null;
      throw error;
    }
  }

  /** `open` for an optional column. */
  async openOptional(stored: string | null | undefined): Promise<string | null> {
    return stored === null || stored === undefined ? null : this.open(stored);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Not awaited: start-up must not wait for keys or a database that may still be away.
    void this.sealLegacyRows().catch((error: unknown) =>
      this.logger.warn(
        `sealing stored plaintext failed; retried at the next start: ${describeError(error)}`,
      ),
    );
  }

  /** Seals every value still stored in clear; returns how many it sealed. */
  async sealLegacyRows(): Promise<number> {
    if (!this.dataSource.isInitialized) return 0;
    let sealed = 0;
    for (const { table, key, column } of this.columns) {
      for (;;) {
        const rows = (await this.dataSource.query(
          `SELECT ${key} AS id, ${column} AS value FROM ${table}
            WHERE ${column} IS NOT NULL AND ${column} NOT LIKE 'eyJ%' LIMIT ${BACKFILL_BATCH}`,
        )) as { id: string; value: string }[];
        const legacy = rows.filter((row) => !isSealedAtRest(row.value));
        for (const row of legacy) {
          await this.dataSource.query(
            `UPDATE ${table} SET ${column} = $3 WHERE ${key} = $1 AND ${column} = $2`,
            [row.id, row.value, await this.seal(row.value)],
          );
        }
        sealed += legacy.length;
        if (rows.length < BACKFILL_BATCH) break;
      }
    }
    if (sealed > 0) this.logger.log(`sealed ${sealed} stored values that were in clear`);
    return sealed;
  }
}
