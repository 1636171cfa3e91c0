/**
 * Real: the Kafka broker, PostgreSQL and the education adapter's Nest application with its relay
 * polling only once a minute. A row committed by another instance of the service (a second
 * DataSource on the same schema, as a second process would have) must be published without
 * waiting for that poll: the commit's NOTIFY wakes the relay, also after its LISTEN connection
 * was cut. A rolled-back write wakes nobody and publishes nothing.
 */
import { randomUUID } from 'node:crypto';

import { OutboxRelay, OutboxWriter, outboxChannel } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { eventually, RunningService, startService } from '../support/service-harness';
import { testKafka, topicWriteGrants } from '../support/test-kafka';

describe('outbox relay woken by the commit of any instance', () => {
  const admin = testKafka('outbox-wakeup-test').admin();
  const topic = `sgx.outbox-wakeup-${randomUUID().slice(0, 8)}.v1`;
  // The education principal may write only the exchange's topics: this one is granted to it
  // for this test alone.
  const grants = topicWriteGrants('education', [topic]);
  let education: RunningService;
  let db: DataSource;
  let otherInstance: DataSource;
  // The other instance's writer: its own relay is elsewhere, so its wake() reaches nobody here.
  const writer = new OutboxWriter({ wake: () => undefined } as unknown as OutboxRelay);

  beforeAll(async () => {
    await admin.connect();
    await admin.createAcls({ acl: grants });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    });
    process.env.OUTBOX_POLL_INTERVAL_MS = '60000';
    education = await startService(EducationModule);
    delete process.env.OUTBOX_POLL_INTERVAL_MS;
    db = education.app.get(DataSource);
    otherInstance = await new DataSource({ ...db.options }).initialize();
  });

  afterAll(async () => {
    await db?.query('DELETE FROM outbox WHERE topic = $1', [topic]);
    await otherInstance?.destroy();
    await education?.app.close();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteAcls({ filters: grants });
    await admin.disconnect();
  });

  const published = async () =>
    Number((await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0));

  const write = (value: string) =>
    otherInstance.transaction((manager) => writer.add(manager, [{ topic, key: 'k', value }]));

  it('publishes a row another instance committed long before the next poll', async () => {
    await write('from the other instance');
    let seen: unknown;
    await eventually(
      async () => {
        seen = {
          offsets: await published(),
          rows: await db.query('SELECT id, sent_at, claimed_until FROM outbox WHERE topic = $1', [
            topic,
          ]),
        };
        return (await published()) === 1 ? true : undefined;
      },
      { what: 'the row to be published on the NOTIFY of its commit', timeoutMs: 30_000 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last seen ${JSON.stringify(seen)}`);
    });
  });

  it('writes nothing and wakes nobody for a transaction that rolls back', async () => {
    const before = await published();
    await expect(
      otherInstance.transaction(async (manager) => {
        await writer.add(manager, [{ topic, key: 'k', value: 'rolled back' }]);
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    expect(await db.query('SELECT 1 FROM outbox WHERE value = $1', ['rolled back'])).toEqual([]);
    await write('after the rollback');
    await eventually(async () => ((await published()) === before + 1 ? true : undefined), {
      what: 'only the committed row to be published',
      timeoutMs: 30_000,
    });
  });

  it('listens again after its LISTEN connection is cut, and publishes what was committed meanwhile', async () => {
    const before = await published();
    const listening = async () =>
      (await db.query(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
        [`LISTEN "${outboxChannel(db)}"`],
      )) as { pid: number }[];
    const [{ pid }] = await listening();
    await db.query('SELECT pg_terminate_backend($1)', [pid]);
    await write('while the listener was away');
    await eventually(async () => ((await published()) === before + 1 ? true : undefined), {
      what: 'the row committed while the listener reconnected',
      timeoutMs: 30_000,
    });
    await eventually(
      async () => ((await listening()).some((row) => row.pid !== pid) ? true : undefined),
      { what: 'a new LISTEN connection', timeoutMs: 30_000 },
    );
    await write('after the listener came back');
    await eventually(async () => ((await published()) === before + 2 ? true : undefined), {
      what: 'the row committed after the listener came back',
      timeoutMs: 30_000,
    });
  });
});
