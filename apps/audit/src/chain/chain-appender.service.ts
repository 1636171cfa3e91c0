import { Injectable, Logger } from '@nestjs/common';
import { AuditEvent } from '@app/contracts';
import { DataSource } from 'typeorm';

import { ChainRecord, INSERT_COLUMNS, normaliseEvent, recordHash } from './chain-record';

export interface AppendOutcome {
  /** Rows added to the chain (duplicates of events already in it are not). */
  appended: number;
  duplicates: number;
  headSeq: number;
  headHash: string;
}

/** An event to append, with the compact JWS it arrived as (its emitter's signature). */
export interface AppendItem {
  event: AuditEvent;
  signature?: string;
}

interface PendingAppend extends AppendItem {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The most events one transaction appends; bounds the lock hold time and the statement size. */
export const MAX_APPEND_BATCH = 1_000;

const INSERT_SQL = `INSERT INTO audit_record (${INSERT_COLUMNS.map(([column]) => column).join(', ')})
  SELECT * FROM unnest(${INSERT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;

/**
 * The only writer of the chain. Every append takes the one-row head lock (SELECT … FOR UPDATE on
 * audit_chain_head) in a short transaction, so appends from any number of instances form one
 * order: seq = head + 1 with no gaps, prev_hash = the real previous row's hash. Events already in
 * the chain (same eventId) are skipped before numbering, so a redelivery changes nothing and uses
 * no sequence number.
 *
 * Kafka hands the consumer one record at a time; `append` queues it and one drain loop per
 * process appends whatever has queued up since the last commit in a single transaction (group
 * commit), so concurrent partitions and auditor reads share commits instead of queuing on the lock.
 */
@Injectable()
export class ChainAppender {
  private readonly logger = new Logger(ChainAppender.name);
  private readonly queue: PendingAppend[] = [];
  private draining = false;

  constructor(private readonly db: DataSource) {}

  /**
   * Appends one event, with the signature it was verified with (every event from the topic and
   * every auditor read has one; only tools and tests append unsigned rows). Resolves once it (or
   * an earlier copy of it) is committed in the chain.
   */
  append(event: AuditEvent, signature?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, signature, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_APPEND_BATCH);
        try {
          await this.appendItems(batch);
          batch.forEach((pending) => pending.resolve());
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          // One bad event must not fail its neighbours: try each on its own, so only the
          // culprit's record is retried (and in the end dead-lettered) by its consumer.
          this.logger.warn(
            `batch of ${batch.length} failed (${(error as Error).message}); appending one by one`,
          );
          for (const pending of batch) {
            await this.appendItems([pending]).then(pending.resolve, pending.reject);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** Appends unsigned events in the given order in one transaction under the head lock. */
  appendBatch(events: AuditEvent[]): Promise<AppendOutcome> {
    return this.appendItems(events.map((event) => ({ event })));
  }

  /** Appends events in the given order in one transaction under the head lock. */
  async appendItems(items: AppendItem[]): Promise<AppendOutcome> {
    const events = items.map((item) => item.event);
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      const [head] = (await runner.query(
        'SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE',
      )) as { seq: string; hash: string }[];
      if (!head) throw new Error('audit_chain_head has no row: run the audit migrations');

      // Under the lock every earlier append is committed, so this sees all of them.
      const ids = events.map((event) => event.eventId.toLowerCase());
      const present = (await runner.query(
        'SELECT event_id::text AS id FROM audit_record WHERE event_id = ANY($1::uuid[])',
        [ids],
      )) as { id: string }[];
      const seen = new Set(present.map((row) => row.id));

      let seq = Number(head.seq);
      let prevHash = head.hash;
      const appendedAt = new Date();
      const records: ChainRecord[] = [];
      for (const { event, signature } of items) {
        const fields = normaliseEvent(event, appendedAt, signature);
        if (seen.has(fields.eventId)) continue;
        seen.add(fields.eventId);
        seq += 1;
        const unhashed = { seq, prevHash, ...fields };
        prevHash = recordHash(unhashed);
        records.push({ ...unhashed, hash: prevHash });
      }

      if (records.length > 0) {
        await runner.query(
          INSERT_SQL,
          INSERT_COLUMNS.map(([, , field]) => records.map((record) => record[field] ?? null)),
        );
        await runner.query('UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1', [
          seq,
          prevHash,
        ]);
      }
      await runner.commitTransaction();
      return {
        appended: records.length,
        duplicates: events.length - records.length,
        headSeq: seq,
        headHash: prevHash,
      };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
