/**
 * Real: PostgreSQL, with the audit migrations in a schema of this test's own. Checks the
 * verification read path end to end: rows streamed in batches as PostgreSQL text, timestamps
 * read in ISO DateStyle, batch boundaries, and the connection handed back to the pool clean.
 * The tamper cases themselves are in audit-chain.int-spec.ts.
 */
import { DataSource } from 'typeorm';

import { ChainAppender } from '../../apps/audit/src/chain/chain-appender.service';
import { ChainVerifier } from '../../apps/audit/src/chain/chain-verifier.service';
import { auditEvent, createAuditSchema } from '../support/audit-schema';

describe('verify reads the chain as streamed PostgreSQL text', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  let verifier: ChainVerifier;

  beforeAll(async () => {
    ({ db, drop } = await createAuditSchema());
    verifier = new ChainVerifier(db);
    verifier.batchSize = 3;
    const times = [
      '2026-11-26T08:30:00.000Z',
      '2026-11-26T08:30:00.100Z',
      '2026-11-26T08:30:00.120Z',
      '2026-11-26T08:30:00.123Z',
      '0999-01-02T03:04:05.006Z',
    ];
    await new ChainAppender(db).appendBatch(
      Array.from({ length: 10 }, (_, i) =>
        auditEvent({
          occurredAt: times[i % times.length],
          deadline: i % 2 ? times[(i + 1) % times.length] : undefined,
          completeness: i % 3 ? i * 10 : undefined,
          detail: i === 4 ? 'ack by "DSL" — école \\ \n\t\u0001\u007f 😀' : undefined,
        }),
      ),
    );
    await db.query('CREATE TABLE audit_record_backup AS SELECT * FROM audit_record');
  });

  afterEach(async () => {
    await db.query('TRUNCATE audit_record');
    await db.query('INSERT INTO audit_record SELECT * FROM audit_record_backup');
  });

  afterAll(async () => {
    await drop?.();
  });

  it('verifies times with and without fractions, escaped strings and absent members across batches', async () => {
    expect(await verifier.verify()).toMatchObject({ ok: true, rows: 10 });
    expect(await verifier.verify({ fromSeq: 3, toSeq: 7 })).toMatchObject({ ok: true, rows: 5 });
  });

  it('finds rows missing at a batch boundary', async () => {
    await db.query('DELETE FROM audit_record WHERE seq IN (3, 4)');
    expect(await verifier.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'sequence gap',
    });
    // A range starting right after the hole: its predecessor is missing.
    expect(await verifier.verify({ fromSeq: 5 })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'sequence gap',
    });
    // Batches of 3 from seq 6: rows 6–8, then 9–10; row 9 opens the second one.
    await db.query('DELETE FROM audit_record WHERE seq = 9');
    expect(await verifier.verify({ fromSeq: 6 })).toMatchObject({
      ok: false,
      firstBadSeq: 9,
      reason: 'sequence gap',
    });
  });

  it('finds a time changed below the millisecond, which to_char would have truncated', async () => {
    await db.query(
      `UPDATE audit_record SET appended_at = appended_at + interval '1 microsecond' WHERE seq = 5`,
    );
    expect(await verifier.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      reason: 'hash mismatch',
    });
  });

  it('reads times in ISO whatever the session DateStyle, and hands the connection back unchanged', async () => {
    // One connection, so the verify runs on the very session whose state is checked.
    const single = await new DataSource({
      ...db.options,
      poolSize: 1,
    } as typeof db.options).initialize();
    try {
      await single.query(`SET DateStyle = 'SQL, DMY'`);
      const onSingle = new ChainVerifier(single);
      onSingle.batchSize = 3;
      expect(await onSingle.verify()).toMatchObject({ ok: true, rows: 10 });
      const [{ DateStyle }] = (await single.query('SHOW DateStyle')) as { DateStyle: string }[];
      expect(DateStyle).toBe('SQL, DMY');
      // Outside a transaction every statement starts its own: nothing was left open.
      const [{ fresh }] = (await single.query('SELECT now() = statement_timestamp() AS fresh')) as {
        fresh: boolean;
      }[];
      expect(fresh).toBe(true);
    } finally {
      await single.destroy();
    }
  });
});
