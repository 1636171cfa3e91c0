/**
 * Issue 12 finding 4: forged audit events are told from real ones. Real: the Kafka broker,
 * PostgreSQL, the audit service's Nest application with its Kafka transport and HTTP API, the
 * registry's keys in the test database (served over HTTP as the hub's node directory serves
 * them), signing keys registered for this test as the keys command would, bearer tokens from a
 * test issuer. Other test files share the audit schema, so checks are over this file's ids and
 * its range of rows.
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, ExchangeErrorCode, Topics } from '@app/contracts';
import { generateSigningKeyPair, SigningKey } from '@app/crypto';
import { DeadLetterHeader, OutgoingRecord } from '@app/messaging';
import { base64url } from 'jose';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { ChainAppender } from '../../apps/audit/src/chain/chain-appender.service';
import { ExportFile, rowHash, verifyAuditExport } from '../../scripts/verify-audit-export';
import {
  serveRegistryKeys,
  registeredSigningKey,
  signedAuditRecord,
} from '../support/audit-signing';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually, RunningService, startService } from '../support/service-harness';
import { publishAsTest } from '../support/test-kafka';
import { TestIssuer } from '../support/test-issuer';

describe('issue 12 finding 4: every audit event is signed by the service that emits it', () => {
  let audit: RunningService;
  let db: DataSource;
  let registry: { url: string; stop: () => Promise<void> };
  const issuer = new TestIssuer();
  const deadLetter = new RawTopicReader(Topics.deadLetter);
  let firstSeq: number;
  let hubKey: SigningKey;

  /** A real message of the exchange that the forgeries are about. */
  const realMessageId = randomUUID();
  const subjectRef = `subj-${randomUUID()}`;

  const event = (overrides: Partial<AuditEvent>): AuditEvent => ({
    eventId: randomUUID(),
    action: 'verified',
    actor: 'hub',
    occurredAt: new Date().toISOString(),
    messageId: realMessageId,
    subjectRef,
    ...overrides,
  });

  const get = async (path: string) => {
    const token = await issuer.token({ roles: ['auditor'], subject: 'auditor-finding-4' });
    const response = await fetch(`${audit.url}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const rowsOf = async (eventId: string) =>
    (await db.query('SELECT seq, signature FROM audit_record WHERE event_id = $1', [eventId])) as {
      seq: string;
      signature: string | null;
    }[];

  /** Publishes records keyed by their own ids and waits for each to be dead-lettered. */
  async function expectRefused(records: OutgoingRecord[], code: ExchangeErrorCode) {
    const keys = records.map(() => `forged-${randomUUID()}`);
    await publishAsTest(
      Topics.auditEvents,
      records.map((record, i) => ({ ...record, key: keys[i] })),
    );
    for (const key of keys) {
      const dead = await eventually(async () => deadLetter.find((r) => r.key?.toString() === key), {
        what: `the forged event ${key} set aside`,
      });
      expect(dead.headers?.[DeadLetterHeader.code]?.toString()).toBe(code);
      expect(dead.headers?.[DeadLetterHeader.sourceTopic]?.toString()).toBe(Topics.auditEvents);
    }
  }

  /** A JWS with a header of the attacker's choosing over the event's JSON. */
  const jwsWith = (header: object, payload: AuditEvent, signature = 'c2lnbmF0dXJl') =>
    `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}.${signature}`;

  /** A real event signed by the hub, published and appended: something to compare with. */
  async function appendReal(overrides: Partial<AuditEvent> = {}) {
    const real = event(overrides);
    await publishAsTest(Topics.auditEvents, [await signedAuditRecord(real)]);
    await eventually(async () => ((await rowsOf(real.eventId)).length ? true : undefined), {
      what: 'the real event appended',
    });
    return real;
  }

  beforeAll(async () => {
    await issuer.start();
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    audit = await startService(AuditModule);
    db = audit.app.get(DataSource);
    await deadLetter.start();
    hubKey = await registeredSigningKey('hub');
    const marker = randomUUID();
    await audit.app.get(ChainAppender).append({
      eventId: marker,
      action: 'service-started',
      actor: 'audit-test',
      occurredAt: new Date().toISOString(),
    });
    firstSeq = Number((await rowsOf(marker))[0].seq);
  });

  afterAll(async () => {
    await deadLetter.stop();
    await audit?.app.close();
    await registry?.stop();
    await issuer.stop();
  });

  it('finding 4: an unsigned `acknowledged` from education and twenty unsigned `verified` from hub are set aside as AUDIT_EVENT_UNSIGNED, never appended', async () => {
    const acknowledged = event({ action: 'acknowledged', actor: 'education' });
    const verified = Array.from({ length: 20 }, () => event({ action: 'verified' }));
    await expectRefused(
      [acknowledged, ...verified].map((forged) => ({
        key: forged.eventId,
        value: JSON.stringify(forged),
      })),
      ExchangeErrorCode.AUDIT_EVENT_UNSIGNED,
    );
    for (const forged of [acknowledged, ...verified]) {
      expect(await rowsOf(forged.eventId)).toEqual([]);
    }
  });

  it('finding 4: an event claiming actor education signed with the hub’s key is AUDIT_EVENT_WRONG_SIGNER', async () => {
    const forged = event({ action: 'acknowledged', actor: 'education' });
    await expectRefused(
      [await signedAuditRecord(forged, hubKey)],
      ExchangeErrorCode.AUDIT_EVENT_WRONG_SIGNER,
    );
    expect(await rowsOf(forged.eventId)).toEqual([]);
  });

  it('finding 4: a hub event signed with a key no node registered, with alg none, HS256 or an altered payload is AUDIT_EVENT_BAD_SIGNATURE', async () => {
    const stranger = await generateSigningKeyPair();
    const unregistered = event({});
    const none = event({});
    const hmac = event({});
    const altered = event({});
    const genuine = (await signedAuditRecord(altered)).value as string;
    const [header, , signature] = genuine.split('.');
    const tampered = `${header}.${base64url.encode(JSON.stringify({ ...altered, action: 'rejected' }))}.${signature}`;
    await expectRefused(
      [
        await signedAuditRecord(unregistered, stranger),
        {
          key: '',
          value:
            jwsWith({ alg: 'none', typ: 'sgx-audit-event+jws', kid: hubKey.kid }, none, '') + 'x',
        },
        {
          key: '',
          value: jwsWith({ alg: 'HS256', typ: 'sgx-audit-event+jws', kid: hubKey.kid }, hmac),
        },
        { key: '', value: tampered },
      ],
      ExchangeErrorCode.AUDIT_EVENT_BAD_SIGNATURE,
    );
    for (const forged of [unregistered, none, hmac, altered]) {
      expect(await rowsOf(forged.eventId)).toEqual([]);
    }
  });

  it('finding 4: a real event is appended once with its signature, and a replay of it (same eventId) adds nothing', async () => {
    const real = await appendReal({ action: 'routed' });
    const [row] = await rowsOf(real.eventId);
    expect(row.signature).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const replay = await signedAuditRecord(real);
    const after = event({ subjectRef }); // same key: same partition, so after the replay
    await publishAsTest(Topics.auditEvents, [replay, await signedAuditRecord(after)]);
    await eventually(async () => ((await rowsOf(after.eventId)).length ? true : undefined), {
      what: 'the event behind the replay',
    });
    expect(await rowsOf(real.eventId)).toHaveLength(1);
  });

  it('finding 4: the chain verifies, and an export carries the keys with which an offline verifier checks every event’s origin', async () => {
    await appendReal();
    const verified = await get(`/audit/verify?fromSeq=${firstSeq}`);
    expect(verified.body).toMatchObject({ ok: true });

    const exported = await get(`/audit/export?fromSeq=${firstSeq}`);
    expect(exported.status).toBe(200);
    const file = exported.body as unknown as ExportFile;
    expect(Object.values(file.signers ?? {})).toEqual(expect.arrayContaining(['hub', 'audit']));
    expect(JSON.stringify(file.signingKeys)).not.toMatch(/"d"\s*:/);
    const jwks = (await get('/.well-known/jwks.json')).body as never;
    const result = await verifyAuditExport(file, jwks);
    // Every row but this file's unsigned marker (and unsigned rows of tests run between) is
    // signed by its emitter; the auditor's own reads by the audit service.
    expect(result.signed).toBeGreaterThanOrEqual(3);

    // The offline verifier notices a row whose signer is not its actor, even with the hash redone.
    const hubRow = file.rows.find((r) => r.actor === 'hub' && r.signature)!;
    const hubSeq = hubRow.seq as number;
    const forgedFile = structuredClone(file);
    const forgedRow = forgedFile.rows.find((r) => r.seq === hubSeq)!;
    forgedRow.actor = 'education';
    const { hash: _old, ...unhashed } = forgedRow;
    forgedRow.hash = rowHash(unhashed);
    const next = forgedFile.rows.find((r) => r.seq === hubSeq + 1);
    if (next) {
      next.prevHash = forgedRow.hash;
      const { hash: _next, ...nextUnhashed } = next;
      next.hash = rowHash(nextUnhashed);
    }
    await expect(verifyAuditExport(forgedFile)).rejects.toThrow(
      `row ${hubSeq}: signed by hub, not by its actor education`,
    );
  });

  it('finding 4: the audit service signs an auditor’s read itself, as the audit node', async () => {
    await get(`/audit/messages/${realMessageId}/trail`);
    const [read] = (await db.query(
      `SELECT signature FROM audit_record WHERE action = 'trail-read' AND message_id = $1
        ORDER BY seq DESC LIMIT 1`,
      [realMessageId],
    )) as { signature: string }[];
    const [{ node_id }] = (await db.query('SELECT node_id FROM audit_signing_key WHERE kid = $1', [
      JSON.parse(Buffer.from(read.signature.split('.')[0], 'base64url').toString()).kid,
    ])) as { node_id: string }[];
    expect(node_id).toBe('audit');
  });
});
