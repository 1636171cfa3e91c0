/**
 * Issue 12 finding 7 (second half): outbox rows the broker keeps refusing are bounded and
 * surfaced. Real: the Kafka broker, PostgreSQL and the education adapter's Nest application
 * (its own outbox table, relay, /metrics and /health). The relay's timer is off; the test runs
 * its batches itself and lets each 30 s backoff run out by clearing the claim.
 */
import { randomUUID } from 'node:crypto';

import { OutboxRelay } from '@app/messaging';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { RunningService, startService } from '../support/service-harness';
import { testKafka, topicWriteGrants } from '../support/test-kafka';

const MAX_ATTEMPTS = 3;

describe('issue 12 finding 7: unsendable outbox rows are bounded and surfaced', () => {
  const admin = testKafka('outbox-unsendable-test').admin();
  // One topic the broker does not have, one it has but the education principal may not write.
  const absent = `sgx.unsendable-${randomUUID().slice(0, 8)}.v1`;
  const forbidden = `sgx.unsendable-${randomUUID().slice(0, 8)}.v1`;
  // And one it may write, granted for this test alone (the access table grants only the exchange's).
  const allowed = `sgx.unsendable-${randomUUID().slice(0, 8)}.v1`;
  const grants = topicWriteGrants('education', [allowed]);
  let education: RunningService;
  let db: DataSource;

  beforeAll(async () => {
    await admin.connect();
    await admin.createAcls({ acl: grants });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [forbidden, allowed].map((topic) => ({
        topic,
        numPartitions: 1,
        replicationFactor: 1,
      })),
    });
    Object.assign(process.env, {
      OUTBOX_RELAY_ENABLED: 'false',
      OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    });
    education = await startService(EducationModule);
    process.env.OUTBOX_RELAY_ENABLED = 'true';
    delete process.env.OUTBOX_MAX_ATTEMPTS;
    db = education.app.get(DataSource);
  });

  afterAll(async () => {
    await db?.query('DELETE FROM outbox WHERE topic = ANY($1)', [[absent, forbidden, allowed]]);
    await education?.app.close();
    await admin.deleteTopics({ topics: [forbidden, allowed] }).catch(() => undefined);
    await admin.deleteAcls({ filters: grants });
    await admin.disconnect();
  });

  const unsendableMetric = async () => {
    const metrics = (await request(education.url).get('/metrics')).text;
    const line = metrics.split('\n').find((l) => l.startsWith('sgx_outbox_unsendable'));
    return Number(line?.split(' ').pop());
  };

  it('finding 7: after OUTBOX_MAX_ATTEMPTS refusals a row is marked failed, kept with its value, no longer tried, and counted on /metrics and /health (degraded, still 200)', async () => {
    const baseline = await unsendableMetric();
    const insert = async (topic: string, value: string) => {
      const [row] = await db.query(
        `INSERT INTO outbox (topic, record_key, value, headers) VALUES ($1, 'k', $2, '{}') RETURNING id`,
        [topic, value],
      );
      return row.id as string;
    };
    const ids = [await insert(absent, 'to a missing topic'), await insert(forbidden, 'forbidden')];
    const relay = education.app.get(OutboxRelay);
    const state = async () =>
      (await db.query(
        `SELECT id, attempts, failed_at IS NOT NULL AS failed, sent_at IS NOT NULL AS sent,
                value IS NOT NULL AS kept, last_error FROM outbox WHERE id = ANY($1) ORDER BY id`,
        [ids],
      )) as {
        id: string;
        attempts: number;
        failed: boolean;
        sent: boolean;
        kept: boolean;
        last_error: string;
      }[];

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await expect(relay.publishBatch()).rejects.toThrow('not published');
      expect((await state()).map((row) => row.attempts)).toEqual([attempt, attempt]);
      // The 30 s backoff runs out.
      await db.query('UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1)', [ids]);
    }
    const failed = await state();
    expect(failed).toEqual(
      ids.map((id) =>
        expect.objectContaining({ id, failed: true, sent: false, kept: true, attempts: 3 }),
      ),
    );
    expect(failed[0].last_error).toContain(`topic ${absent} does not exist`);

    // No longer claimed: the relay publishes other rows and leaves these alone.
    const other = await insert(allowed, 'a record that can be sent');
    await expect(relay.publishBatch()).resolves.toBeGreaterThanOrEqual(1);
    const [sent] = await db.query('SELECT sent_at IS NOT NULL AS sent FROM outbox WHERE id = $1', [
      other,
    ]);
    expect(sent.sent).toBe(true);
    expect((await state()).map((row) => row.attempts)).toEqual([3, 3]);

    expect(await unsendableMetric()).toBe((Number.isNaN(baseline) ? 0 : baseline) + 2);
    const health = await request(education.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.details.outbox).toEqual({
      status: 'up',
      unsendable: (Number.isNaN(baseline) ? 0 : baseline) + 2,
      degraded: true,
    });
  });
});
