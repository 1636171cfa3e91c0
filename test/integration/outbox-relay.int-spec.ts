/**
 * Real: the Kafka broker, PostgreSQL and the education adapter's Nest application (its own
 * outbox table and relay). The relay's timer is off; the test runs its batches itself.
 */
import { randomUUID } from 'node:crypto';

import { OutboxRelay } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { RunningService, startService } from '../support/service-harness';
import { testKafka, topicWriteGrants } from '../support/test-kafka';

describe('outbox relay and a topic the broker does not have', () => {
  const admin = testKafka('relay-test').admin();
  const present = `sgx.relay-test-${randomUUID().slice(0, 8)}.v1`;
  const absent = `sgx.relay-test-${randomUUID().slice(0, 8)}.v1`;
  let education: RunningService;
  let db: DataSource;
  // The education principal may write only the exchange's topics: these two are granted to it
  // for this test alone (both, so the missing one fails for not existing, not for the ACL).
  const grants = topicWriteGrants('education', [present, absent]);

  beforeAll(async () => {
    await admin.connect();
    await admin.createAcls({ acl: grants });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: present, numPartitions: 1, replicationFactor: 1 }],
    });
    process.env.OUTBOX_RELAY_ENABLED = 'false';
    education = await startService(EducationModule);
    process.env.OUTBOX_RELAY_ENABLED = 'true';
    db = education.app.get(DataSource);
  });

  afterAll(async () => {
    await db?.query('DELETE FROM outbox WHERE topic = ANY($1)', [[present, absent]]);
    await education?.app.close();
    await admin.deleteTopics({ topics: [present, absent] }).catch(() => undefined);
    await admin.deleteAcls({ filters: grants });
    await admin.disconnect();
  });

  it('publishes the other topics, holds the missing one back in order, and sends it once the topic exists', async () => {
    const insert = async (topic: string, value: string) => {
      const [row] = await db.query(
        `INSERT INTO outbox (topic, record_key, value, headers) VALUES ($1, 'k', $2, '{}') RETURNING id`,
        [topic, value],
      );
      return row.id as string;
    };
    const first = await insert(absent, 'first to the missing topic');
    const other = await insert(present, 'to a topic that exists');
    const relay = education.app.get(OutboxRelay);

    // The send to the missing topic fails at once (the producer would otherwise retry for
    // ever and hold every other topic behind it).
    await expect(relay.publishBatch()).rejects.toThrow(`topic ${absent} does not exist`);
    const second = await insert(absent, 'second to the missing topic');
    const rows = async () =>
      (await db.query(
        `SELECT id, sent_at IS NOT NULL AS sent, coalesce(claimed_until > now() + interval '20 seconds', false) AS held
           FROM outbox WHERE id = ANY($1) ORDER BY id`,
        [[first, other, second]],
      )) as { id: string; sent: boolean; held: boolean }[];
    expect(await rows()).toEqual([
      { id: first, sent: false, held: true },
      { id: other, sent: true, held: false },
      // Written after the failure: not sent ahead of the first while the topic is backed off.
      { id: second, sent: false, held: false },
    ]);
    await relay.publishBatch().catch(() => undefined);
    expect((await rows()).find((row) => row.id === second)?.sent).toBe(false);

    // The topic is created and the backoff runs out: both go, in the order they were written.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: absent, numPartitions: 1, replicationFactor: 1 }],
    });
    await db.query('UPDATE outbox SET claimed_until = NULL WHERE topic = $1', [absent]);
    await relay.publishBatch();
    expect((await rows()).every((row) => row.sent)).toBe(true);
    const offsets = await admin.fetchTopicOffsets(absent);
    expect(offsets.map((offset) => offset.high)).toEqual(['2']);
  });
});
