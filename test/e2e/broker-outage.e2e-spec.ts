/**
 * Real: the Kafka broker (stopped and started with the project's script), PostgreSQL, the police
 * adapter's and the audit service's Nest applications (their consumers in their groups; the
 * grace period for a consumer that is no member cut to 5 s). Runs last: it takes the broker away.
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { KAFKA_SETTINGS, KafkaPublisher, KafkaSettings } from '@app/messaging';
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
    process.env.HEALTH_CONSUMER_GROUP_GRACE_SECONDS = '5';
    [police, audit] = await Promise.all([startService(PoliceModule), startService(AuditModule)]);
  });

  afterAll(async () => {
    kafkaScript('start');
    await Promise.all([police?.app.close(), audit?.app.close()]);
    await registry?.stop();
    delete process.env.HEALTH_CONSUMER_GROUP_GRACE_SECONDS;
  });

  it('/health says 503 naming Kafka and the consumer no member of its group, then 200 again, joined, and consuming resumes', async () => {
    const { groupId } = police.app.get<KafkaSettings>(KAFKA_SETTINGS);
    const ok = await eventually(
      async () => {
        const response = await request(police.url).get('/health');
        return response.body.details?.consumerGroup?.state === 'joined' ? response : undefined;
      },
      { what: "/health to report the police adapter's consumer joined", timeoutMs: 60_000 },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.details).toMatchObject({
      database: { status: 'up' },
      kafka: { status: 'up' },
      consumerGroup: { status: 'up', state: 'joined', groupId },
    });

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
    // Its consumer left the group with the broker, and after the grace period says so.
    const noMember = await eventually(
      async () => {
        const response = await request(police.url).get('/health');
        return response.body.error?.consumerGroup?.state === 'not-a-member' ? response : undefined;
      },
      { what: '/health to report the consumer no member of its group', timeoutMs: 60_000 },
    );
    expect(noMember.status).toBe(503);
    expect(noMember.body.error.consumerGroup).toMatchObject({
      status: 'down',
      state: 'not-a-member',
      groupId,
    });
    // Since when: a time before this answer, at least the grace period ago.
    const since = Date.parse(noMember.body.error.consumerGroup.since as string);
    expect(Date.now() - since).toBeGreaterThanOrEqual(5_000);

    kafkaScript('start');
    const back = await eventually(
      async () => {
        const response = await request(police.url).get('/health');
        return response.status === 200 && response.body.details.consumerGroup.state === 'joined'
          ? response
          : undefined;
      },
      {
        what: '/health to report 200 again, the consumer joined',
        timeoutMs: 90_000,
      },
    );
    expect(back.body.details.consumerGroup).toMatchObject({ status: 'up', groupId });

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
