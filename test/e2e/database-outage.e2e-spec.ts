/**
 * Real: PostgreSQL (reached through a TCP proxy the test takes away and brings back), the Kafka
 * broker, the audit service's Nest application.
 */
import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { AuditEvent, Topics } from '@app/contracts';
import { MAX_HANDLER_ATTEMPTS } from '@app/messaging';
import { connectDependencies, createServiceApp } from '@app/platform';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import {
  registeredSigningKey,
  serveRegistryKeys,
  signedAuditRecord,
} from '../support/audit-signing';
import { publishAsTest } from '../support/test-kafka';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually, freePort } from '../support/service-harness';
import { TcpProxy } from '../support/tcp-proxy';

describe('when PostgreSQL is unreachable', () => {
  let proxy: TcpProxy;
  let app: INestApplication;
  let url: string;
  let connected: Promise<void>;
  const realUrl = new URL(process.env.DATABASE_URL!);

  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;

  beforeAll(async () => {
    // The registry's keys stay reachable (they are the hub's, on the real database).
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    // The education node's registered key, made while the registry's database is reachable.
    await registeredSigningKey('education');
    proxy = new TcpProxy(await freePort(), {
      host: realUrl.hostname,
      port: Number(realUrl.port || 5432),
    });
    const proxied = new URL(realUrl);
    proxied.port = String(proxy.port);
    process.env.DATABASE_URL = proxied.toString();
    app = await createServiceApp(AuditModule);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    connected = connectDependencies(app);
  });

  afterAll(async () => {
    await proxy.up();
    await connected;
    await app.close();
    await proxy.down();
    await registry?.stop();
    process.env.DATABASE_URL = realUrl.toString();
  });

  const health = () => request(url).get('/health');

  it('answers /health with 503 naming the database at start-up, then recovers when it returns', async () => {
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.error).toHaveProperty('database.status', 'down');
    expect(down.body.error).not.toHaveProperty('kafka');

    await proxy.up();
    await connected;
    await eventually(async () => ((await health()).status === 200 ? true : undefined), {
      what: '/health 200',
    });
  });

  const failedAuditRecords = async () => {
    const metrics = (await request(url).get('/metrics')).text;
    const line = metrics
      .split('\n')
      .find(
        (l) =>
          l.startsWith('sgx_kafka_records_total{') &&
          l.includes(`topic="${Topics.auditEvents}"`) &&
          l.includes('outcome="failed"'),
      );
    return line ? Number(line.split(' ').pop()) : 0;
  };

  it('keeps retrying an event past the attempt limit while the database is away, and stores it once it is back', async () => {
    const deadLetters = new RawTopicReader(Topics.deadLetter);
    await deadLetters.start();
    await proxy.down();
    await eventually(async () => ((await health()).status === 503 ? true : undefined), {
      what: '/health 503',
    });
    const failuresBefore = await failedAuditRecords();

    const event: AuditEvent = {
      eventId: randomUUID(),
      action: 'acknowledged',
      actor: 'education',
      occurredAt: new Date().toISOString(),
    };
    await publishAsTest(Topics.auditEvents, [
      { ...(await signedAuditRecord(event)), key: event.eventId },
    ]);
    // More failed attempts than a broken record would get before it is dead-lettered.
    await eventually(
      async () =>
        (await failedAuditRecords()) - failuresBefore > MAX_HANDLER_ATTEMPTS ? true : undefined,
      { what: 'the handler to fail more often than the attempt limit', timeoutMs: 90_000 },
    );

    await proxy.up();
    await eventually(async () => ((await health()).status === 200 ? true : undefined), {
      what: '/health 200 again',
    });
    const db = app.get(DataSource);
    await eventually(
      async () =>
        (await db.query('SELECT 1 FROM audit_record WHERE event_id = $1', [event.eventId])).length
          ? true
          : undefined,
      { what: 'the event stored after the outage', timeoutMs: 90_000 },
    );
    expect(deadLetters.find((record) => record.key?.toString() === event.eventId)).toBeUndefined();
    await deadLetters.stop();
  });
});
