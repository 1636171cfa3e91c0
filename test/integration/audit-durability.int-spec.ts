/**
 * Real: the Kafka broker, PostgreSQL, two audit service instances one after the other (the first
 * closed while records are still arriving). Faked: nothing.
 */
import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { ChainVerifier } from '../../apps/audit/src/chain/chain-verifier.service';
import { auditEvent } from '../support/audit-schema';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { eventually, RunningService, startService } from '../support/service-harness';
import { testKafkaSettings } from '../support/test-kafka';

describe('audit service stopped mid-stream and restarted', () => {
  const publisher = new KafkaPublisher(testKafkaSettings('audit-durability-test'));
  let second: RunningService | undefined;
  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;

  beforeAll(async () => {
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
  });

  afterAll(async () => {
    await second?.app.close();
    await publisher.onApplicationShutdown();
    await registry?.stop();
  });

  it('loses nothing, appends nothing twice and leaves a chain that verifies', async () => {
    const events: AuditEvent[] = Array.from({ length: 400 }, (_, i) =>
      auditEvent({ subjectRef: `durability-${i % 40}` }),
    );
    const ids = events.map((event) => event.eventId);
    // As the education node publishes them: signed with its key.
    const records = await Promise.all(events.map((event) => signedAuditRecord(event)));
    const count = async (db: DataSource) =>
      (
        (await db.query(
          'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM audit_record WHERE event_id = ANY($1::uuid[])',
          [ids],
        )) as { n: number; d: number }[]
      )[0];

    const first = await startService(AuditModule);
    const firstDb = first.app.get(DataSource);
    const publishBursts = async (from: number, to: number) => {
      for (let i = from; i < to; i += 10) {
        await publisher.publish(Topics.auditEvents, records.slice(i, Math.min(i + 10, to)));
      }
    };

    // The first half, then the instance is closed while the second half is being published:
    // some records are appended but not yet committed, some are in flight, some arrive later.
    await publishBursts(0, 200);
    await eventually(async () => ((await count(firstDb)).n >= 50 ? true : undefined), {
      what: 'the first instance to append some of the stream',
    });
    const publishing = publishBursts(200, 400);
    await first.app.close();

    second = await startService(AuditModule);
    const secondDb = second.app.get(DataSource);
    await publishing;
    await eventually(async () => ((await count(secondDb)).d === events.length ? true : undefined), {
      what: 'every event in the trail',
      timeoutMs: 90_000,
    });
    expect(await count(secondDb)).toEqual({ n: events.length, d: events.length });
    expect(await second.app.get(ChainVerifier).verify()).toMatchObject({ ok: true });
  });
});
