/**
 * Issue 12 finding 3: no input of any kind makes a valid audit chain fail verification. Real:
 * the Kafka broker, PostgreSQL, the audit service's Nest application with its Kafka transport
 * and HTTP API, bearer tokens from a test issuer. Other test files share the audit schema, so the
 * checks are over the range from this file's first row to the head.
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { ChainAppender } from '../../apps/audit/src/chain/chain-appender.service';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { publishAsTest } from '../support/test-kafka';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

describe('issue 12 finding 3: text PostgreSQL stores differently never breaks the audit chain', () => {
  let audit: RunningService;
  let db: DataSource;
  const issuer = new TestIssuer();
  const deadLetter = new RawTopicReader(Topics.deadLetter);
  let firstSeq: number;
  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;

  const get = async (path: string, token: string) => {
    const response = await fetch(`${audit.url}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const seqOf = async (eventId: string) => {
    const rows = (await db.query('SELECT seq FROM audit_record WHERE event_id = $1', [
      eventId,
    ])) as {
      seq: string;
    }[];
    return rows[0] ? Number(rows[0].seq) : undefined;
  };

  /** verify and export from this file's first row to the head, as an auditor would ask. */
  async function expectChainVerifies() {
    const auditor = await issuer.token({ roles: ['auditor'], subject: 'auditor-ann' });
    const verified = await get(`/audit/verify?fromSeq=${firstSeq}`, auditor);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
    const exported = await get(`/audit/export?fromSeq=${firstSeq}`, auditor);
    expect(exported.status).toBe(200);
  }

  beforeAll(async () => {
    await issuer.start();
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    audit = await startService(AuditModule);
    db = audit.app.get(DataSource);
    await deadLetter.start();
    const marker = randomUUID();
    await audit.app.get(ChainAppender).append({
      eventId: marker,
      action: 'service-started',
      actor: 'audit-test',
      occurredAt: new Date().toISOString(),
    });
    firstSeq = (await seqOf(marker))!;
  });

  afterAll(async () => {
    await deadLetter.stop();
    await audit?.app.close();
    await registry?.stop();
    await issuer.stop();
  });

  it('finding 3: an event appended with a lone surrogate is hashed as stored, and verify and export still pass', async () => {
    const eventId = randomUUID();
    await audit.app.get(ChainAppender).append({
      eventId,
      action: 'rejected',
      actor: 'hub',
      occurredAt: new Date().toISOString(),
      detail: 'refused \uD800 here and \uDC00 there, and a NUL \u0000 too',
    });
    const [row] = (await db.query('SELECT detail FROM audit_record WHERE event_id = $1', [
      eventId,
    ])) as { detail: string }[];
    expect(row.detail).toBe('refused \uFFFD here and \uFFFD there, and a NUL \uFFFD too');
    await expectChainVerifies();
  });

  it('finding 3: an auditor token whose sub holds a lone surrogate is recorded as stored, and the chain still verifies', async () => {
    const token = await issuer.token({ roles: ['auditor'], subject: 'auditor-\uD800-eve' });
    const response = await get(`/audit/verify?fromSeq=${firstSeq}`, token);
    // Whether the token is accepted (its read recorded) or refused, the chain stays valid.
    expect([200, 401]).toContain(response.status);
    await expectChainVerifies();
  });

  it('finding 3: an event on the audit topic with a lone surrogate is set aside as UNSTORABLE_TEXT, and the chain still verifies', async () => {
    const event: AuditEvent = {
      eventId: randomUUID(),
      action: 'acknowledged',
      actor: 'education',
      occurredAt: new Date().toISOString(),
      detail: 'acknowledged by \uD800',
    };
    // Signed by the education node, so only the text is at fault.
    await publishAsTest(Topics.auditEvents, [
      { ...(await signedAuditRecord(event)), key: event.eventId },
    ]);
    const record = await eventually(
      async () => deadLetter.find((r) => r.key?.toString() === event.eventId),
      { what: 'the event dead-lettered' },
    );
    expect(record.headers?.sgx_dead_letter_code?.toString()).toBe('UNSTORABLE_TEXT');
    expect(await seqOf(event.eventId)).toBeUndefined();
    await expectChainVerifies();
  });
});
