/**
 * Real: the Kafka broker (stopped and started with the project's script), PostgreSQL, the police
 * adapter's and the audit service's Nest applications. Runs last: it takes the broker away.
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher } from '@app/messaging';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { eventually, kafkaScript, RunningService, startService } from '../support/service-harness';

describe('when the broker goes away and comes back', () => {
  let police: RunningService;
  let audit: RunningService;
  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;

  beforeAll(async () => {
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    [police, audit] = await Promise.all([startService(PoliceModule), startService(AuditModule)]);
  });

  afterAll(async () => {
    kafkaScript('start');
    await Promise.all([police?.app.close(), audit?.app.close()]);
    await registry?.stop();
  });

  it('/health says 503 naming Kafka, then 200 again, and consuming resumes', async () => {
    const ok = await request(police.url).get('/health');
    expect(ok.status).toBe(200);
    expect(ok.body.details).toMatchObject({ database: { status: 'up' }, kafka: { status: 'up' } });

    kafkaScript('stop');
    const down = await eventually(
      async () => {
        const response = await request(police.url).get('/health');
        return response.status === 503 ? response : undefined;
      },
      { what: '/health to report 503' },
    );
    expect(down.body.status).toBe('error');
    expect(down.body.error).toHaveProperty('kafka.status', 'down');
    expect(down.body.error).not.toHaveProperty('database');
    expect(down.body.details).toHaveProperty('database.status', 'up');

    kafkaScript('start');
    await eventually(
      async () => ((await request(police.url).get('/health')).status === 200 ? true : undefined),
      {
        what: '/health to report 200 again',
        timeoutMs: 60_000,
      },
    );

    // The audit service's consumer recovered too: a record published now is stored.
    const event: AuditEvent = {
      eventId: randomUUID(),
      action: 'delivered',
      actor: 'police',
      occurredAt: new Date().toISOString(),
    };
    await police.app
      .get(KafkaPublisher)
      .publish(Topics.auditEvents, [await signedAuditRecord(event)]);
    const db = audit.app.get(DataSource);
    await eventually(
      async () =>
        (await db.query('SELECT 1 FROM audit_record WHERE event_id = $1', [event.eventId])).length
          ? true
          : undefined,
      { what: 'the audit service to consume after the outage', timeoutMs: 90_000 },
    );
  });
});
