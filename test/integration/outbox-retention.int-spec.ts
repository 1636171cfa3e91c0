/**
 * Real: PostgreSQL and the education adapter's Nest application (its own outbox table). Rows
 * are inserted with chosen times so no test waits for a day to pass.
 */
import { randomUUID } from 'node:crypto';

import { OutboxRetention } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { RunningService, startService } from '../support/service-harness';

describe('outbox retention', () => {
  let education: RunningService;

  beforeAll(async () => {
    // The relay is off: it must not publish (or mark) the rows this test inserts.
    process.env.OUTBOX_RELAY_ENABLED = 'false';
    education = await startService(EducationModule);
    process.env.OUTBOX_RELAY_ENABLED = 'true';
  });

  afterAll(async () => {
    await education?.app.close();
  });

  it('deletes sent rows older than OUTBOX_RETENTION_HOURS (24) and keeps recent and unsent ones', async () => {
    const db = education.app.get(DataSource);
    const key = `retention-${randomUUID()}`;
    const insert = (sentAt: string | null, createdAt = "now() - interval '30 days'") =>
      db.query(
        // The unsent row is claimed for a day, so no relay of a later test tries to publish it
        // to this topic, which does not exist; the test deletes its rows at the end anyway.
        `INSERT INTO outbox (topic, record_key, value, headers, created_at, sent_at, claimed_until)
         VALUES ('sgx.test.v1', $1, $2, '{}', ${createdAt}, ${sentAt ?? 'NULL'}, now() + interval '1 day')
         RETURNING id`,
        [key, sentAt ? null : 'unsent'],
      );
    const [old] = await insert("now() - interval '25 hours'");
    const [recent] = await insert("now() - interval '23 hours'");
    const [unsent] = await insert(null);

    try {
      const deleted = await education.app.get(OutboxRetention).deleteExpired();
      expect(deleted).toBeGreaterThanOrEqual(1);
      const left: { id: string }[] = await db.query(
        'SELECT id FROM outbox WHERE record_key = $1 ORDER BY id',
        [key],
      );
      expect(left.map((row) => row.id)).toEqual([recent.id, unsent.id]);
      expect(left.map((row) => row.id)).not.toContain(old.id);
    } finally {
      await db.query('DELETE FROM outbox WHERE record_key = $1', [key]);
    }
  });
});
