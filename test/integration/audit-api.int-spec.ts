/**
 * Real: the Kafka broker, PostgreSQL, the audit service's Nest application with its Kafka
 * transport and HTTP API, jq and jose for the offline verification. Faked: nothing. Other test
 * files share the audit schema, so assertions are about this file's own ids and ranges.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher } from '@app/messaging';
import { SchedulerRegistry } from '@nestjs/schedule';
import { compactVerify, createLocalJWKSet, JSONWebKeySet } from 'jose';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { CheckpointScheduler } from '../../apps/audit/src/checkpoints/checkpoint-scheduler.service';
import { auditEvent } from '../support/audit-schema';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { eventually, RunningService, startService } from '../support/service-harness';
import { testKafkaSettings } from '../support/test-kafka';
import { TestIssuer } from '../support/test-issuer';

interface Row {
  seq: number;
  action: string;
  actor: string;
  hash: string;
  prevHash: string;
  [key: string]: unknown;
}

describe('audit service: trail from Kafka, auditor API, checkpoints and export', () => {
  let audit: RunningService;
  let db: DataSource;

  const issuer = new TestIssuer();
  let auditorToken: string;
  const get = async (path: string, token: string | null = auditorToken) => {
    const response = await fetch(`${audit.url}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  // The other services' audit events: the audit principal itself may only read the topic.
  const services = new KafkaPublisher(testKafkaSettings('audit-api-test'));

  async function publishAndWait(events: AuditEvent[]): Promise<void> {
    await services.publish(
      Topics.auditEvents,
      await Promise.all(events.map((event) => signedAuditRecord(event))),
    );
    const ids = events.map((event) => event.eventId);
    await eventually(
      async () => {
        const [{ n }] = (await db.query(
          'SELECT count(*)::int AS n FROM audit_record WHERE event_id = ANY($1::uuid[])',
          [ids],
        )) as { n: number }[];
        return n === ids.length ? true : undefined;
      },
      { what: `${ids.length} events in the trail` },
    );
  }

  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;

  beforeAll(async () => {
    await issuer.start();
    auditorToken = await issuer.token({ roles: ['auditor'], subject: 'auditor-ann' });
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    audit = await startService(AuditModule);
    db = audit.app.get(DataSource);
  });

  afterAll(async () => {
    await services.onApplicationShutdown();
    await audit?.app.close();
    await registry?.stop();
    await issuer.stop();
  });

  it('lets only auditors read the trail (and admins the metrics), and records who read', async () => {
    expect((await get('/audit/verify', null)).status).toBe(401);
    const mailboxUser = await issuer.token({
      roles: ['mailbox-user'],
      mailboxes: ['school-100001-dsl'],
    });
    expect((await get('/audit/records', mailboxUser)).status).toBe(403);
    const admin = await issuer.token({ roles: ['admin'], subject: 'admin-bob' });
    expect((await get('/audit/records', admin)).status).toBe(403);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await get(`/audit/metrics?from=${today}T00:00:00Z&to=${today}T23:59:59Z`, admin)).status,
    ).toBe(200);
    expect((await get('/.well-known/jwks.json', null)).status).toBe(200);
  });

  describe('a message trail', () => {
    const messageId = randomUUID();
    const subjectRef = `subj-${randomUUID()}`;
    const steps: AuditEvent['action'][] = [
      'submitted',
      'verified',
      'policy-decision',
      'routed',
      'delivered',
      'acknowledged',
    ];
    const events = steps.map((action, i) =>
      auditEvent({
        action,
        messageId,
        subjectRef,
        occurredAt: new Date(Date.UTC(2026, 0, 5, 9, 0, i)).toISOString(),
        ...(action === 'policy-decision'
          ? { decision: 'allow-with-fields', ruleId: 'encompass.school', policyVersion: '2026.1' }
          : {}),
      }),
    );

    beforeAll(() => publishAndWait(events));

    it('returns every event of the message in chain order, metadata only, and records the read', async () => {
      const { status, body } = await get(`/audit/messages/${messageId}/trail`);
      expect(status).toBe(200);
      const rows = body as Row[];
      expect(rows.map((row) => row.action)).toEqual([...steps, 'trail-read']);
      expect(rows.map((row) => row.seq)).toEqual(
        [...rows.map((row) => row.seq)].sort((a, b) => a - b),
      );
      expect(rows[2]).toMatchObject({
        decision: 'allow-with-fields',
        ruleId: 'encompass.school',
        policyVersion: '2026.1',
        messageId,
        subjectRef,
        senderAgency: 'northshire-police',
        recipientMailbox: 'hill-primary-dsl',
        payloadDigest: events[2].payloadDigest,
        occurredAt: '2026-01-05T09:00:02.000Z',
      });
      // Who looked at what: the read is itself in the trail of the message it read.
      expect(rows[6]).toMatchObject({ action: 'trail-read', actor: 'auditor-ann', messageId });
      for (const row of rows) expect(Object.keys(row)).not.toContain('payload');
    });

    it('searches by subject, agency, mailbox, type and time, a page at a time', async () => {
      const query =
        `subjectRef=${subjectRef}&agency=northshire-education&mailbox=hill-primary-dsl` +
        `&type=domestic-abuse-incident&from=2026-01-05T09:00:01Z&to=2026-01-05T09:00:05Z&limit=2`;
      const first = await get(`/audit/records?${query}`);
      expect(first.status).toBe(200);
      const page1 = first.body as { rows: Row[]; nextAfterSeq?: number };
      expect(page1.rows.map((row) => row.action)).toEqual(['verified', 'policy-decision']);
      const page2 = (await get(`/audit/records?${query}&afterSeq=${page1.nextAfterSeq}`)).body as {
        rows: Row[];
        nextAfterSeq?: number;
      };
      expect(page2.rows.map((row) => row.action)).toEqual(['routed', 'delivered']);
      // The last page says so by carrying no nextAfterSeq.
      expect(page2.nextAfterSeq).toBeUndefined();

      const reads = (await get(`/audit/records?action=trail-read&subjectRef=${subjectRef}`))
        .body as { rows: Row[] };
      // Two pages, then this search itself: a read is recorded before it is answered.
      expect(reads.rows).toHaveLength(3);
      expect(reads.rows[0].detail).toContain('search');
      expect(reads.rows[0].detail).toContain('hill-primary-dsl');
    });
  });

  it('refuses bad query parameters with a 400 that names the field', async () => {
    const cases: [string, string][] = [
      ['/audit/messages/not-a-uuid/trail', 'messageId'],
      ['/audit/records?limit=0', 'limit'],
      ['/audit/records?from=yesterday', 'from'],
      ['/audit/records?payload=x', 'payload'],
      ['/audit/records?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
      ['/audit/verify?fromSeq=abc', 'fromSeq'],
      ['/audit/verify?fromSeq=9&toSeq=3', 'fromSeq'],
      ['/audit/export?toSeq=0', 'toSeq'],
      ['/audit/metrics?to=2026-01-01T00:00:00Z', 'from'],
      [
        '/audit/metrics?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&distribution=yes',
        'distribution',
      ],
      ['/audit/checkpoints?limit=5000', 'limit'],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await get(path);
      expect({ path, status }).toEqual({ path, status: 400 });
      expect(JSON.stringify((body as { message: unknown }).message)).toContain(field);
    }
  });

  it('verifies the whole chain and a range, and records each verification', async () => {
    const whole = (await get('/audit/verify')).body as { ok: boolean; headSeq: number };
    expect(whole).toMatchObject({ ok: true });
    const range = await get(
      `/audit/verify?fromSeq=${Math.max(1, whole.headSeq - 5)}&toSeq=${whole.headSeq}`,
    );
    expect(range.body).toMatchObject({ ok: true, toSeq: whole.headSeq });
    const [read] = (await db.query(
      `SELECT detail FROM audit_record WHERE action = 'trail-read' ORDER BY seq DESC LIMIT 1`,
    )) as { detail: string }[];
    expect(read.detail).toBe(
      `verify {"fromSeq":${Math.max(1, whole.headSeq - 5)},"toSeq":${whole.headSeq}}`,
    );
  });

  it('signs checkpoints of the head on its interval, with the key published in the JWKS', async () => {
    expect(audit.app.get(SchedulerRegistry).getInterval('audit-checkpoint')).toBeDefined();
    await audit.app.get(CheckpointScheduler).tick();
    const [checkpoint] = (await get('/audit/checkpoints?limit=1')).body as {
      seq: number;
      headHash: string;
      jws: string;
    }[];
    const jwks = (await get('/.well-known/jwks.json')).body as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await compactVerify(
      checkpoint.jws,
      createLocalJWKSet(jwks),
    );
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'sgx-audit-checkpoint+jws' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      seq: checkpoint.seq,
      headHash: checkpoint.headHash,
    });
  });

  describe('export', () => {
    const events = Array.from({ length: 5 }, () => auditEvent({ detail: 'école "x" — ✓' }));
    let exported: {
      fromSeq: number;
      toSeq: number;
      rows: Row[];
      checkpoint: { seq: number; headHash: string; jws: string };
    };

    beforeAll(async () => {
      await publishAndWait(events);
      const [{ from, to }] = (await db.query(
        'SELECT min(seq)::int AS from, max(seq)::int AS to FROM audit_record WHERE event_id = ANY($1::uuid[])',
        [events.map((event) => event.eventId)],
      )) as { from: number; to: number }[];
      const response = await get(`/audit/export?fromSeq=${from}&toSeq=${to}`);
      expect(response.status).toBe(200);
      exported = response.body as typeof exported;
    });

    it('holds the range with hashes and links, and a checkpoint signed for its last row', async () => {
      expect(exported.rows.map((row) => row.seq)).toEqual(
        Array.from(
          { length: exported.toSeq - exported.fromSeq + 1 },
          (_, i) => exported.fromSeq + i,
        ),
      );
      for (let i = 1; i < exported.rows.length; i++) {
        expect(exported.rows[i].prevHash).toBe(exported.rows[i - 1].hash);
      }
      expect(exported.checkpoint).toMatchObject({
        seq: exported.toSeq,
        headHash: exported.rows[exported.rows.length - 1].hash,
      });
    });

    it('verifies offline: each row hash with jq and sha256sum as docs/audit.md says, the checkpoint with jose and the JWKS', async () => {
      for (const row of exported.rows) {
        // docs/audit.md, step 2: jq -cS 'del(.hash)' | tr -d '\n' | sha256sum
        const canonical = execFileSync('jq', ['-cS', 'del(.hash)'], {
          input: JSON.stringify(row),
        })
          .toString()
          .replace(/\n$/, '');
        expect(createHash('sha256').update(canonical).digest('hex')).toBe(row.hash);
        const shell = execFileSync(
          'bash',
          ['-c', `jq -cS 'del(.hash)' | tr -d '\\n' | sha256sum`],
          {
            input: JSON.stringify(row),
          },
        ).toString();
        expect(shell.split(' ')[0]).toBe(row.hash);
      }
      const jwks = (await get('/.well-known/jwks.json')).body as JSONWebKeySet;
      const { payload } = await compactVerify(exported.checkpoint.jws, createLocalJWKSet(jwks));
      const signed = JSON.parse(new TextDecoder().decode(payload)) as {
        seq: number;
        headHash: string;
      };
      expect(signed).toMatchObject({
        seq: exported.toSeq,
        headHash: exported.rows[exported.rows.length - 1].hash,
      });
    });
  });
});
