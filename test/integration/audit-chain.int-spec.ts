/**
 * Real: PostgreSQL, with the audit migrations applied to a schema of this test's own (so rows can
 * be tampered with and numbered from 1). Faked: nothing; the Kafka path is covered by
 * audit-api.int-spec.ts and audit-durability.int-spec.ts.
 */
import { DataSource } from 'typeorm';

import { ChainAppender } from '../../apps/audit/src/chain/chain-appender.service';
import {
  ChainRecord,
  GENESIS_HASH,
  INSERT_COLUMNS,
  RECORD_COLUMNS,
  recordHash,
  rowToRecord,
} from '../../apps/audit/src/chain/chain-record';
import { ChainVerifier } from '../../apps/audit/src/chain/chain-verifier.service';
import { auditEvent, createAuditSchema } from '../support/audit-schema';

describe('the audit hash chain in PostgreSQL', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  let appender: ChainAppender;
  let verifier: ChainVerifier;

  const rows = async (): Promise<ChainRecord[]> =>
    (
      (await db.query(`SELECT ${RECORD_COLUMNS} FROM audit_record ORDER BY seq`)) as Record<
        string,
        unknown
      >[]
    ).map(rowToRecord);

  beforeAll(async () => {
    ({ db, drop } = await createAuditSchema());
    appender = new ChainAppender(db);
    verifier = new ChainVerifier(db);
  });

  afterAll(async () => {
    await drop?.();
  });

  describe('appending', () => {
    it('numbers rows 1, 2, 3 … and links each to the previous row hash, starting from zeros', async () => {
      await appender.appendBatch([auditEvent(), auditEvent()]);
      await appender.append(auditEvent({ action: 'acknowledged' }));
      const chain = await rows();
      expect(chain.map((row) => row.seq)).toEqual([1, 2, 3]);
      expect(chain[0].prevHash).toBe(GENESIS_HASH);
      expect(chain[1].prevHash).toBe(chain[0].hash);
      expect(chain[2].prevHash).toBe(chain[1].hash);
      for (const { hash, ...unhashed } of chain) expect(recordHash(unhashed)).toBe(hash);
      expect(await verifier.verify()).toEqual({
        ok: true,
        fromSeq: 1,
        toSeq: 3,
        rows: 3,
        headSeq: 3,
        headHash: chain[2].hash,
      });
    });

    it('appends a redelivered event once and uses no sequence number for the copy', async () => {
      const event = auditEvent();
      const first = await appender.appendBatch([event]);
      const again = await appender.appendBatch([event, { ...event }, auditEvent()]);
      expect(again).toMatchObject({ appended: 1, duplicates: 2, headSeq: first.headSeq + 1 });
      await appender.append({ ...event, eventId: event.eventId.toUpperCase() });
      const chain = await rows();
      expect(chain.filter((row) => row.eventId === event.eventId)).toHaveLength(1);
      expect(chain.map((row) => row.seq)).toEqual(chain.map((_, i) => i + 1));
    });

    it('keeps one gap-free order when two instances append at the same time', async () => {
      const otherInstance = await createAuditSchemaPeer(db);
      const mine = new ChainAppender(db);
      const theirs = new ChainAppender(otherInstance);
      const before = (await verifier.head()).seq;
      await Promise.all([
        ...Array.from({ length: 40 }, () => mine.append(auditEvent())),
        ...Array.from({ length: 40 }, () => theirs.append(auditEvent())),
        mine.appendBatch(Array.from({ length: 30 }, () => auditEvent())),
        theirs.appendBatch(Array.from({ length: 30 }, () => auditEvent())),
      ]);
      await otherInstance.destroy();
      expect((await verifier.head()).seq).toBe(before + 140);
      expect(await verifier.verify()).toMatchObject({ ok: true, rows: before + 140 });
    });

    it('stores metadata only, as the contract carries it', async () => {
      const event = auditEvent({
        action: 'policy-decision',
        decision: 'refuse',
        ruleId: 'encompass.school',
        policyVersion: '2026.1',
        deadline: '2026-11-27T08:00:00Z',
        completeness: 60,
        correlationId: 'corr-1',
      });
      await appender.append(event);
      const stored = (await rows()).find((row) => row.eventId === event.eventId)!;
      expect(stored).toMatchObject({
        decision: 'refuse',
        ruleId: 'encompass.school',
        policyVersion: '2026.1',
        deadline: '2026-11-27T08:00:00.000Z',
        completeness: 60,
        correlationId: 'corr-1',
        payloadDigest: event.payloadDigest,
      });
      expect(Object.keys(stored)).not.toContain('payload');
    });
  });

  describe('tamper evidence: verify names the first row that does not fit', () => {
    // Ten rows at known positions; each test tampers, verifies, and afterEach restores them.
    let original: ChainRecord[];

    beforeAll(async () => {
      await db.query('TRUNCATE audit_record');
      await db.query(`UPDATE audit_chain_head SET seq = 0, hash = $1`, [GENESIS_HASH]);
      await appender.appendBatch(Array.from({ length: 10 }, () => auditEvent()));
      original = await rows();
      await db.query('CREATE TABLE audit_record_backup AS SELECT * FROM audit_record');
    });

    afterEach(async () => {
      await db.query('TRUNCATE audit_record');
      await db.query('INSERT INTO audit_record SELECT * FROM audit_record_backup');
      await db.query('UPDATE audit_chain_head SET seq = 10, hash = $1', [original[9].hash]);
      await db.query('TRUNCATE audit_checkpoint');
      expect(await verifier.verify()).toMatchObject({ ok: true, rows: 10 });
    });

    /** Writes a row as an attacker who knows the encoding would: with a hash that fits it. */
    async function forge(record: Omit<ChainRecord, 'hash'>): Promise<string> {
      const hash = recordHash(record);
      const forged: ChainRecord = { ...record, hash };
      await db.query(
        `INSERT INTO audit_record (${INSERT_COLUMNS.map(([column]) => column).join(', ')})
         VALUES (${INSERT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}`).join(', ')})`,
        INSERT_COLUMNS.map(([, , field]) => forged[field] ?? null),
      );
      return hash;
    }

    /** Moves rows seq >= from up by `by` without tripping the primary key on the way. */
    async function shift(from: number, by: number): Promise<void> {
      await db.query('UPDATE audit_record SET seq = seq + 1000000 WHERE seq >= $1', [from]);
      await db.query('UPDATE audit_record SET seq = seq - 1000000 + $2 WHERE seq >= $1', [
        1000000 + from,
        by,
      ]);
    }

    it('altered: a changed column is a hash mismatch at that row', async () => {
      await db.query(`UPDATE audit_record SET actor = 'mallory' WHERE seq = 4`);
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 4,
        reason: 'hash mismatch',
      });
    });

    it('altered with its hash recomputed: the next row no longer links to it', async () => {
      // recordHash hashes the members of the encoding only, so the stale `hash` is ignored.
      const altered = recordHash({ ...original[3], recipientMailbox: 'elsewhere' });
      await db.query(
        `UPDATE audit_record SET recipient_mailbox = 'elsewhere', hash = $1 WHERE seq = 4`,
        [altered],
      );
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 5,
        reason: 'prev_hash mismatch',
      });
    });

    it('deleted: a missing row is a sequence gap at its number, in the middle or at the end', async () => {
      await db.query('DELETE FROM audit_record WHERE seq = 6');
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 6,
        reason: 'sequence gap',
      });
      await db.query('INSERT INTO audit_record SELECT * FROM audit_record_backup WHERE seq = 6');
      await db.query('DELETE FROM audit_record WHERE seq >= 9');
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 9,
        reason: 'sequence gap',
      });
    });

    it('deleted and renumbered: the row that moved into the hole does not link', async () => {
      await db.query('DELETE FROM audit_record WHERE seq = 6');
      await shift(7, -1);
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 6,
        reason: 'prev_hash mismatch',
      });
    });

    it('inserted: a copied row is found where it was put; a well-forged one at the row after it', async () => {
      await shift(6, 1);
      await forge({ ...original[2], seq: 6, eventId: '00000000-0000-4000-8000-000000000006' });
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 6,
        reason: 'prev_hash mismatch',
      });
      await db.query('DELETE FROM audit_record WHERE seq = 6');
      await forge({
        ...original[2],
        seq: 6,
        prevHash: original[4].hash,
        eventId: '00000000-0000-4000-8000-000000000007',
      });
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 7,
        reason: 'prev_hash mismatch',
      });
    });

    it('inserted after the head: a row beyond the head is named', async () => {
      await forge({
        ...original[2],
        seq: 11,
        prevHash: original[9].hash,
        eventId: '00000000-0000-4000-8000-000000000011',
      });
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 11,
        reason: 'head mismatch',
      });
    });

    it('reordered: two swapped rows fail at the first of them', async () => {
      await db.query('UPDATE audit_record SET seq = seq + 1000000 WHERE seq IN (3, 4)');
      await db.query('UPDATE audit_record SET seq = 4 WHERE seq = 1000003');
      await db.query('UPDATE audit_record SET seq = 3 WHERE seq = 1000004');
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 3,
        reason: 'prev_hash mismatch',
      });
    });

    it('rewritten from a row onwards with every hash recomputed: a signed checkpoint disagrees', async () => {
      await db.query(
        `INSERT INTO audit_checkpoint (seq, head_hash, signed_at, kid, jws) VALUES (8, $1, now(), 'k', 'x')`,
        [original[7].hash],
      );
      let prevHash = original[3].hash;
      for (const row of original.slice(4)) {
        const linkedTo = prevHash;
        prevHash = recordHash({ ...row, actor: 'rewritten', prevHash: linkedTo });
        await db.query(
          `UPDATE audit_record SET actor = 'rewritten', prev_hash = $2, hash = $3 WHERE seq = $1`,
          [row.seq, linkedTo, prevHash],
        );
      }
      await db.query('UPDATE audit_chain_head SET hash = $1', [prevHash]);
      expect(await verifier.verify()).toMatchObject({
        ok: false,
        firstBadSeq: 8,
        reason: 'checkpoint mismatch',
      });
    });

    it('verifies a range, checking that its first row links to the row before it', async () => {
      expect(await verifier.verify({ fromSeq: 4, toSeq: 7 })).toEqual({
        ok: true,
        fromSeq: 4,
        toSeq: 7,
        rows: 4,
        headSeq: 7,
        headHash: original[6].hash,
      });
      await db.query(`UPDATE audit_record SET hash = $1 WHERE seq = 3`, ['f'.repeat(64)]);
      expect(await verifier.verify({ fromSeq: 4, toSeq: 7 })).toMatchObject({
        ok: false,
        firstBadSeq: 4,
        reason: 'prev_hash mismatch',
      });
      expect(await verifier.verify({ fromSeq: 5, toSeq: 7 })).toMatchObject({ ok: true });
      await db.query('DELETE FROM audit_record WHERE seq = 4');
      expect(await verifier.verify({ fromSeq: 5, toSeq: 7 })).toMatchObject({
        ok: false,
        firstBadSeq: 4,
        reason: 'sequence gap',
      });
    });
  });
});

/** A second connection pool on the same schema: what a second audit instance would hold. */
async function createAuditSchemaPeer(db: DataSource): Promise<DataSource> {
  return new DataSource({ ...db.options }).initialize();
}
