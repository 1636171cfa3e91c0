/**
 * Real: the audit service as its own process (killed with SIGKILL mid-stream, then started
 * again), the Kafka broker, PostgreSQL. Faked: nothing.
 */
import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher } from '@app/messaging';
import { dataSourceOptions } from '@app/persistence';
import { DataSource } from 'typeorm';

import { AUDIT_TABLES } from '../../apps/audit/src/audit.tables';
import { auditEvent } from '../support/audit-schema';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { eventually, freePort } from '../support/service-harness';
import { ServiceProcess } from '../support/service-process';
import { TestIssuer } from '../support/test-issuer';
import { testKafkaSettings } from '../support/test-kafka';

describe('audit service killed mid-stream', () => {
  const issuer = new TestIssuer();
  const publisher = new KafkaPublisher(testKafkaSettings('audit-crash-test'));
  let db: DataSource;
  let audit: ServiceProcess;

  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;

  beforeAll(async () => {
    await issuer.start();
    registry = await serveRegistryKeys();
    audit = new ServiceProcess('audit', await freePort(), {
      AUDIT_REGISTRY_URL: registry.url,
      AUTH_ISSUER: process.env.AUTH_ISSUER!,
      AUTH_JWKS_URL: process.env.AUTH_JWKS_URL!,
      AUTH_AUDIENCE: process.env.AUTH_AUDIENCE!,
    });
    db = await new DataSource(
      dataSourceOptions(
        { ...AUDIT_TABLES, schema: 'audit' },
        { url: process.env.DATABASE_URL!, poolSize: 2 },
      ),
    ).initialize();
  });

  afterAll(async () => {
    await audit?.stop();
    await publisher.onApplicationShutdown();
    await db?.destroy();
    await registry?.stop();
    await issuer.stop();
  });

  it('loses nothing, appends nothing twice, and the chain still verifies', async () => {
    const events: AuditEvent[] = Array.from({ length: 600 }, (_, i) =>
      auditEvent({ subjectRef: `crash-${i % 30}` }),
    );
    const ids = events.map((event) => event.eventId);
    const records = await Promise.all(events.map((event) => signedAuditRecord(event)));
    const counts = async () =>
      (
        (await db.query(
          'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM audit_record WHERE event_id = ANY($1::uuid[])',
          [ids],
        )) as { n: number; d: number }[]
      )[0];
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i += 20) {
        await publisher.publish(Topics.auditEvents, records.slice(i, Math.min(i + 20, to)));
      }
    };

    await audit.start();
    await publish(0, 300);
    await eventually(async () => ((await counts()).n >= 30 ? true : undefined), {
      what: 'the service to be appending',
      intervalMs: 20,
    });
    const rest = publish(300, 600);
    await audit.kill();
    const atKill = await counts();
    expect(atKill.n).toBeLessThan(events.length);

    await rest;
    await audit.start();
    await eventually(async () => ((await counts()).d === events.length ? true : undefined), {
      what: 'every event in the trail after the restart',
      timeoutMs: 90_000,
    });
    expect(await counts()).toEqual({ n: events.length, d: events.length });

    const token = await issuer.token({ roles: ['auditor'], subject: 'crash-test-auditor' });
    const verify = await fetch(`${audit.url}/audit/verify`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ ok: true });
  });
});
