/**
 * The domestic abuse notification journey (Operation Encompass), end to end. Real: the Kafka
 * broker, PostgreSQL, the police adapter, the hub and the education adapter as Nest apps with
 * their Kafka transport, keys in a temporary KEYS_DIR, bearer tokens from a test issuer over
 * HTTP. Faked: only the hub's clock, moved forward for the overdue case.
 */
import { createHmac, randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  DOMESTIC_ABUSE_NOTIFICATION,
  deliveryTopic,
  envelopeKafkaRecord,
  Topics,
} from '@app/contracts';
import {
  encryptEnvelope,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  loadNodeKeyring,
  signEnvelope,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import { KafkaPublisher } from '@app/messaging';
import { Clock } from '@app/platform';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { RawTopicReader } from '../support/raw-topic-reader';
import { openHubDatabase } from '../support/registry-fixtures';
import { ServiceProcess } from '../support/service-process';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(240_000);

describe('domestic abuse notification: police to school, end to end', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-journey-keys-'));
  let hubPort: number;
  let hub: RunningService;
  let police: RunningService;
  let education: RunningService;
  let hubDb: DataSource;
  let agencyToken: string;
  const urn = String(randomInt(1_000_000, 9_999_999));
  const schoolMailbox = `school-${urn}-dsl`;
  const names: string[] = [];
  const submittedIds = new Set<string>();
  const births: string[] = [];
  const readers = [
    new RawTopicReader(deliveryTopic('education')),
    new RawTopicReader(deliveryTopic('police')),
  ];
  const submissionsReader = new RawTopicReader(Topics.submissions);
  const auditReader = new RawTopicReader(Topics.auditEvents);

  /** The hub's audit events about one submitted message, as the audit service receives them. */
  const hubAuditsOf = (messageId: string, action: string) =>
    auditReader.records
      .map((record) => JSON.parse(record.value!.toString()) as Record<string, unknown>)
      .filter((event) => event.actor === 'hub' && event.messageId === messageId)
      .filter((event) => event.action === action);
  // The school's webhook endpoint: refuses the first call for each message, then accepts.
  const webhookSecret = randomUUID();
  const webhookCalls: { body: string; signature: string; status: number }[] = [];
  let webhookServer: Server;
  const receiptsReader = new RawTopicReader(Topics.receipts);
  const quarantineReader = new RawTopicReader(Topics.quarantine);
  const allReaders = [...readers, submissionsReader, receiptsReader, quarantineReader];

  /** Fails when a name or date of birth of this test's children is in the text in clear. */
  function expectNoPersonalData(text: string) {
    for (const secret of [...names, ...births]) expect(text).not.toContain(secret);
    for (const secret of names) {
      expect(text).not.toContain(Buffer.from(secret).toString('base64url'));
    }
  }

  /** A police-signed notification published straight to the submissions topic. */
  async function publishSubmission(seal: (jws: string) => Promise<string>) {
    const ring = await loadNodeKeyring(keysDir, 'police');
    const body = incident();
    // Published in clear on purpose (the bare-JWS case): not one of the names that must never
    // appear on a topic.
    names.pop();
    births.pop();
    const { children, ...rest } = body;
    const claims = {
      iss: 'police',
      sub: randomUUID(),
      jti: randomUUID(),
      type: DOMESTIC_ABUSE_NOTIFICATION.type,
      version: DOMESTIC_ABUSE_NOTIFICATION.version,
    };
    const jws = await signEnvelope(
      { ...claims, body: { ...rest, child: children[0] } },
      ring.signing,
    );
    const iat = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()).iat as number;
    await hub.app
      .get(KafkaPublisher)
      .publish(Topics.submissions, [envelopeKafkaRecord(await seal(jws), { ...claims, iat })]);
    return claims.jti;
  }

  const quarantined = (messageId: string) =>
    eventually(
      async () =>
        quarantineReader.find((record) => record.headers?.ce_id?.toString() === messageId),
      { what: `message ${messageId} in quarantine` },
    );

  function incident(schoolUrn = urn, extra: object = {}) {
    const name = `Child ${randomUUID().slice(0, 8)} Testperson`;
    const dateOfBirth = `2016-0${randomInt(1, 9)}-1${randomInt(0, 9)}`;
    names.push(name);
    births.push(dateOfBirth);
    return {
      policeReference: `NP-${randomUUID().slice(0, 8)}`,
      occurredAt: new Date().toISOString(),
      location: '12 Example Road, Northtown',
      children: [
        { name, dateOfBirth, schoolUrn, presence: 'witnessing', voiceOfChild: 'Hid upstairs' },
      ],
      riskLevel: 'high',
      circumstances: 'Child witnessed an argument between adults at home',
      actionsTaken: 'Suspect arrested; investigation ongoing',
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch8-para4',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
      ...extra,
    };
  }

  async function submit(body: object) {
    const response = await request(police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${agencyToken}`)
      .send(body);
    expect(response.status).toBe(202);
    for (const { messageId } of response.body.notifications) submittedIds.add(messageId);
    return response.body as {
      incidentId: string;
      notifications: { messageId: string; childIndex: number }[];
    };
  }

  async function statusOf(incidentId: string) {
    const response = await request(police.url)
      .get(`/incidents/${incidentId}/notifications`)
      .set('Authorization', `Bearer ${agencyToken}`);
    expect(response.status).toBe(200);
    return response.body.notifications[0] as Record<string, unknown>;
  }

  const untilStatus = (incidentId: string, status: string) =>
    eventually(
      async () => {
        const current = await statusOf(incidentId);
        return current.status === status ? current : undefined;
      },
      { what: `notification status ${status}`, timeoutMs: 60_000 },
    );

  async function mailboxToken(mailbox: string, subject = 'dsl-test') {
    return issuer.token({ roles: ['mailbox-user'], mailboxes: [mailbox], subject });
  }

  async function inboxRowsFor(subjectRef: string): Promise<{ message_id: string }[]> {
    return education.app
      .get(DataSource)
      .query('SELECT message_id FROM inbox_message WHERE subject_ref = $1', [subjectRef]);
  }

  async function subjectRefOf(messageId: string): Promise<string> {
    const [row] = await police.app
      .get(DataSource)
      .query('SELECT subject_ref FROM incident_notification WHERE message_id = $1', [messageId]);
    return row.subject_ref;
  }

  async function registerKeys(db: DataSource, nodeId: string) {
    const signing = await generateSigningKeyPair();
    const encryption = await generateEncryptionKeyPair();
    await writePrivateKeyFile(keysDir, nodeId, signing);
    await writePrivateKeyFile(keysDir, nodeId, encryption);
    await writeCurrentKids(keysDir, nodeId, { signing: signing.kid, encryption: encryption.kid });
    const keys = new NodeKeyService(db.getRepository(NodeKeyEntity));
    // This test's keys become current; whatever the test database had is retired at once.
    await keys.rotate({ nodeId, publicJwk: signing.publicJwk }, 0);
    await keys.rotate({ nodeId, publicJwk: encryption.publicJwk }, 0);
  }

  beforeAll(async () => {
    await issuer.start();
    webhookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const messageId = (JSON.parse(body) as { messageId: string }).messageId;
        const seen = webhookCalls.some((call) => call.body.includes(messageId));
        const status = seen ? 204 : 503;
        webhookCalls.push({ body, signature: String(req.headers['x-sgx-signature']), status });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => webhookServer.listen(0, '127.0.0.1', resolve));
    hubPort = await freePort();
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`,
      OUTBOX_POLL_INTERVAL_MS: '200',
      DEADLINE_CHECK_INTERVAL_MS: '300',
      MAILBOX_WEBHOOK_URL: `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/sgx`,
      MAILBOX_WEBHOOK_SECRET: webhookSecret,
      MAILBOX_WEBHOOK_RETRY_BASE_MS: '100',
      MAILBOX_WEBHOOK_POLL_INTERVAL_MS: '100',
    });
    hub = await startService(HubModule, hubPort);
    hubDb = hub.app.get(DataSource);
    // The nodes of the journey and a school of this test's own.
    await hubDb.query(`INSERT INTO agency (id, name, kind, area) VALUES
      ('northshire-exchange', 'Exchange', 'other', 'northshire'),
      ('northshire-police', 'Police', 'police', 'northshire'),
      ('northshire-education', 'Education', 'education', 'northshire') ON CONFLICT DO NOTHING`);
    await hubDb.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES
      ('hub', 'northshire-exchange', 'hub'), ('police', 'northshire-police', 'police'),
      ('education', 'northshire-education', 'education')
      ON CONFLICT (id) DO UPDATE SET status = 'active'`);
    await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
      ('education-escalation', 'education', 'escalation', 'Escalation', NULL) ON CONFLICT DO NOTHING`);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, 'education', 'designated-safeguarding-lead', 'Test school DSL', $2)`,
      [schoolMailbox, urn],
    );
    for (const nodeId of ['hub', 'police', 'education']) await registerKeys(hubDb, nodeId);
    [police, education] = await Promise.all([
      startService(PoliceModule),
      startService(EducationModule),
    ]);
    await Promise.all([...allReaders, auditReader].map((reader) => reader.start()));
    agencyToken = await issuer.token({ roles: ['agency-system'], subject: 'police-cad' });
  });

  afterAll(async () => {
    await Promise.all([...allReaders, auditReader].map((reader) => reader.stop()));
    // The test's school leaves the registry (deliveries name mailboxes without a foreign key).
    await hubDb?.query('DELETE FROM mailbox WHERE id = $1', [schoolMailbox]);
    await Promise.all([hub?.app.close(), police?.app.close(), education?.app.close()]);
    await issuer.stop();
    await new Promise((resolve) => webhookServer.close(resolve));
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('refuses an invalid incident with 400 naming every invalid field, and sends nothing', async () => {
    const response = await request(police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${agencyToken}`)
      .send({
        ...incident(),
        riskLevel: 'extreme',
        children: [{ name: '', dateOfBirth: '2016-13-45', presence: 'nearby' }],
        consent: { position: 'given' },
        safeguardingJustification: 'because',
        familyInformed: undefined,
      });
    expect(response.status).toBe(400);
    const text = JSON.stringify(response.body.message);
    for (const field of [
      'riskLevel',
      'name',
      'dateOfBirth',
      'schoolUrn',
      'presence',
      'consent.by',
      'consent.at',
      'safeguardingJustification',
      'familyInformed',
    ]) {
      expect(text).toContain(field);
    }
  });

  it('delivers to the school, which reads and acknowledges it; both receipts reach the police', async () => {
    const body = incident();
    const submitted = await submit(body);
    const [notification] = submitted.notifications;
    expect(await statusOf(submitted.incidentId)).toMatchObject({ status: 'submitted' });

    const delivered = await untilStatus(submitted.incidentId, 'delivered');
    expect(delivered).toMatchObject({ mailboxId: schoolMailbox, deliveredAt: expect.any(String) });

    const dsl = await mailboxToken(schoolMailbox, 'dsl-hillside');
    const list = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications`)
      .set('Authorization', `Bearer ${dsl}`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const item = list.body[0];
    expect(item).toMatchObject({ status: 'received', dueAt: expect.any(String) });

    const read = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications/${item.messageId}`)
      .set('Authorization', `Bearer ${dsl}`);
    expect(read.status).toBe(200);
    expect(read.body.notification).toEqual({
      recipientMailboxId: schoolMailbox,
      acknowledgeBy: item.dueAt,
      policeReference: body.policeReference,
      occurredAt: body.occurredAt,
      location: body.location,
      child: {
        name: body.children[0].name,
        dateOfBirth: body.children[0].dateOfBirth,
        presence: 'witnessing',
        voiceOfChild: 'Hid upstairs',
      },
      circumstances: body.circumstances,
    });
    // Never the investigation, the risk assessment or the basis.
    expect(JSON.stringify(read.body)).not.toMatch(
      /actionsTaken|Suspect arrested|riskLevel|lawfulBasis/,
    );

    // Another mailbox's user sees nothing of it.
    const other = await mailboxToken('school-other-dsl');
    const foreign = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications/${item.messageId}`)
      .set('Authorization', `Bearer ${other}`);
    expect(foreign.status).toBe(403);

    const ack = await request(education.url)
      .post(`/mailboxes/${schoolMailbox}/notifications/${item.messageId}/acknowledge`)
      .set('Authorization', `Bearer ${dsl}`);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'dsl-hillside' });

    const acknowledged = await untilStatus(submitted.incidentId, 'acknowledged');
    expect(acknowledged).toMatchObject({
      messageId: notification.messageId,
      acknowledgedBy: 'dsl-hillside',
      acknowledgedAt: expect.any(String),
      deliveredAt: expect.any(String),
    });
    const [deadline] = await hubDb.query(
      `SELECT d.state FROM deadline d JOIN delivery v ON v.id = d.delivery_id WHERE v.submission_id = $1`,
      [notification.messageId],
    );
    expect(deadline.state).toBe('met');
  });

  it('minimises the view by the policy rule, records the basis and audits the decision', async () => {
    const body = incident(urn, {
      consent: { position: 'given', by: 'parent', at: new Date().toISOString() },
      safeguardingJustification: undefined,
      familyInformed: true,
    });
    const submitted = await submit(body);
    const { messageId } = submitted.notifications[0];
    await untilStatus(submitted.incidentId, 'delivered');
    const [delivery] = await hubDb.query(
      'SELECT id, shared_under, rule_id, policy_version FROM delivery WHERE submission_id = $1',
      [messageId],
    );
    expect(delivery).toMatchObject({
      shared_under: 'consent',
      rule_id: 'encompass-school-set',
      policy_version: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.\d+$/),
    });
    const [decision] = await eventually(async () => {
      const found = hubAuditsOf(messageId, 'policy-decision');
      return found.length ? found : undefined;
    });
    expect(decision).toMatchObject({
      decision: 'allow-with-fields',
      ruleId: 'encompass-school-set',
      policyVersion: delivery.policy_version,
      recipientMailbox: schoolMailbox,
      detail: expect.stringContaining('family informed: yes; shared under consent'),
    });
    const dsl = await mailboxToken(schoolMailbox);
    const read = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications/${delivery.id}`)
      .set('Authorization', `Bearer ${dsl}`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body.notification).sort()).toEqual(
      [
        'acknowledgeBy',
        'child',
        'circumstances',
        'location',
        'occurredAt',
        'policeReference',
        'recipientMailboxId',
      ].sort(),
    );
    expect(JSON.stringify(read.body)).not.toMatch(/consent|familyInformed|parent/);
  });

  it('refuses to share without consent or justification: signed sharing-refused, nothing delivered', async () => {
    const submitted = await submit(
      incident(urn, { safeguardingJustification: undefined, familyInformed: false }),
    );
    const { messageId } = submitted.notifications[0];
    const refused = await untilStatus(submitted.incidentId, 'sharing-refused');
    expect(refused).toMatchObject({
      mailboxId: schoolMailbox,
      sharingRefusedAt: expect.any(String),
      sharingRefusal: {
        ruleId: 'no-consent-no-justification',
        policyVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.\d+$/),
        reason: expect.stringContaining('Neither consent nor a stated safeguarding justification'),
      },
    });
    expect(
      await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
    ).toHaveLength(0);
    expect(await inboxRowsFor(await subjectRefOf(messageId))).toHaveLength(0);
    const audits = await eventually(async () => {
      const found = [
        ...hubAuditsOf(messageId, 'policy-decision'),
        ...hubAuditsOf(messageId, 'sharing-refused'),
      ];
      return found.length === 2 ? found : undefined;
    });
    for (const event of audits) {
      expect(event).toMatchObject({
        decision: 'refuse',
        ruleId: 'no-consent-no-justification',
        policyVersion: refused.sharingRefusal
          ? (refused.sharingRefusal as { policyVersion: string }).policyVersion
          : undefined,
        detail: expect.stringContaining('family informed: no; not shared'),
      });
    }
  });

  it("tells the school's webhook once, ids only, with the body's HMAC, after a failed first call", async () => {
    const submitted = await submit(incident());
    await untilStatus(submitted.incidentId, 'delivered');
    const [delivery] = await hubDb.query('SELECT id FROM delivery WHERE submission_id = $1', [
      submitted.notifications[0].messageId,
    ]);
    const calls = await eventually(
      async () => {
        const found = webhookCalls.filter((call) => call.body.includes(delivery.id));
        return found.some((call) => call.status === 204) ? found : undefined;
      },
      { what: 'the webhook to accept a call', timeoutMs: 60_000 },
    );
    expect(calls.map((call) => call.status)).toEqual([503, 204]);
    const accepted = calls[1];
    expect(JSON.parse(accepted.body)).toEqual({
      event: 'notification-received',
      mailboxId: schoolMailbox,
      messageId: delivery.id,
      type: 'uk.safeguarding.exchange.domestic-abuse-notification-view',
      receivedAt: expect.any(String),
    });
    expect(accepted.signature).toBe(
      `sha256=${createHmac('sha256', webhookSecret).update(accepted.body).digest('hex')}`,
    );
    expectNoPersonalData(accepted.body);
    // The relay records the outcome after the endpoint has answered: wait for that write.
    const row = await eventually(
      async () => {
        const [found] = await education.app
          .get(DataSource)
          .query('SELECT status, attempts, last_error FROM mailbox_webhook WHERE message_id = $1', [
            delivery.id,
          ]);
        return found?.status === 'pending' ? undefined : found;
      },
      { what: 'the webhook call recorded' },
    );
    expect(row).toEqual({ status: 'delivered', attempts: 2, last_error: null });
  });

  it('stores a redelivered record once and sends no second receipt', async () => {
    const submitted = await submit(incident());
    await untilStatus(submitted.incidentId, 'delivered');
    const subjectRef = await subjectRefOf(submitted.notifications[0].messageId);
    const [original] = await eventually(async () => {
      const found = readers[0].records.filter((r) => r.key?.toString() === subjectRef);
      return found.length ? found : undefined;
    });
    const receiptsBefore = await education.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM outbox WHERE topic = $1`, [Topics.receipts]);
    const handled = async () => {
      const metrics = (await request(education.url).get('/metrics')).text;
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('sgx_kafka_records_total') &&
            l.includes(deliveryTopic('education')) &&
            l.includes('handled'),
        );
      return Number(line?.split(' ').pop() ?? 0);
    };
    const before = await handled();
    await education.app.get(KafkaPublisher).publish(deliveryTopic('education'), [
      {
        key: original.key!.toString(),
        value: original.value!,
        headers: Object.fromEntries(
          Object.entries(original.headers ?? {}).map(([k, v]) => [k, String(v)]),
        ),
      },
    ]);
    await eventually(async () => ((await handled()) > before ? true : undefined), {
      what: 'the copy to be handled',
    });
    expect(await inboxRowsFor(subjectRef)).toHaveLength(1);
    const receiptsAfter = await education.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM outbox WHERE topic = $1`, [Topics.receipts]);
    expect(receiptsAfter[0].n).toBe(receiptsBefore[0].n);
  });

  it('escalates an unacknowledged notification when the deadline passes, once', async () => {
    const submitted = await submit(incident());
    const delivered = await untilStatus(submitted.incidentId, 'delivered');
    const [row] = await hubDb.query(
      `SELECT d.due_at, v.id FROM deadline d JOIN delivery v ON v.id = d.delivery_id WHERE v.submission_id = $1`,
      [delivered.messageId],
    );
    const clock = hub.app.get(Clock);
    const spy = jest
      .spyOn(clock, 'now')
      .mockReturnValue(new Date(new Date(row.due_at).getTime() + 60_000));
    try {
      const overdue = await untilStatus(submitted.incidentId, 'overdue');
      expect(overdue.overdueAt).toEqual(expect.any(String));
      const escalationToken = await mailboxToken('education-escalation');
      const escalations = await eventually(
        async () => {
          const list = await request(education.url)
            .get('/mailboxes/education-escalation/notifications')
            .set('Authorization', `Bearer ${escalationToken}`);
          const found = list.body.filter((item: { messageId: string }) => item.messageId);
          for (const item of found) {
            const read = await request(education.url)
              .get(`/mailboxes/education-escalation/notifications/${item.messageId}`)
              .set('Authorization', `Bearer ${escalationToken}`);
            if (read.body.notification?.messageId === row.id) return read.body;
          }
          return undefined;
        },
        { what: 'the escalation in the education escalation mailbox' },
      );
      expect(escalations.notification).toMatchObject({ overdueMailboxId: schoolMailbox });
      const [deadline] = await hubDb.query('SELECT state FROM deadline WHERE delivery_id = $1', [
        row.id,
      ]);
      expect(deadline.state).toBe('escalated');
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses an unknown school with a signed rejection; nothing is delivered anywhere', async () => {
    const submitted = await submit(incident('1000000'));
    const rejected = await untilStatus(submitted.incidentId, 'rejected');
    expect(rejected).toMatchObject({ rejection: { code: 'RECIPIENT_UNKNOWN' } });
    const messageId = submitted.notifications[0].messageId;
    expect(
      await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
    ).toHaveLength(0);
    expect(await inboxRowsFor(await subjectRefOf(messageId))).toHaveLength(0);
  });

  it('refuses a school whose node is suspended with a signed rejection naming the reason; nothing is delivered anywhere', async () => {
    // A school of its own on a node of its own, suspended in the registry.
    const nodeId = `school-node-${randomUUID().slice(0, 8)}`;
    const suspendedUrn = String(randomInt(1_000_000, 9_999_999));
    await hubDb.query(
      `INSERT INTO node (id, agency_id, kafka_principal, status) VALUES ($1, 'northshire-education', $1, 'suspended')`,
      [nodeId],
    );
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, $2, 'designated-safeguarding-lead', 'Suspended school DSL', $3)`,
      [`school-${suspendedUrn}-dsl`, nodeId, suspendedUrn],
    );
    try {
      const submitted = await submit(incident(suspendedUrn));
      const rejected = await untilStatus(submitted.incidentId, 'rejected');
      expect(rejected).toMatchObject({
        rejection: { code: 'RECIPIENT_NODE_INACTIVE', reason: expect.stringMatching(/not active/) },
      });
      const messageId = submitted.notifications[0].messageId;
      expect(
        await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
      ).toHaveLength(0);
      expect(await inboxRowsFor(await subjectRefOf(messageId))).toHaveLength(0);
      // Nothing went out on any delivery topic for this subject but the rejection to the police.
      const subjectRef = await subjectRefOf(messageId);
      expect(
        readers[0].records.filter((record) => record.key?.toString() === subjectRef),
      ).toHaveLength(0);
    } finally {
      await hubDb.query('DELETE FROM mailbox WHERE node_id = $1', [nodeId]);
      await hubDb.query('DELETE FROM node WHERE id = $1', [nodeId]);
    }
  });

  it("delivers a child educated at home to the local authority's education mailbox, and to no school", async () => {
    await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
      VALUES ('la-education-home-educated', 'education', 'local-authority-education', 'LA education', NULL)
      ON CONFLICT DO NOTHING`);
    const [la] = await hubDb.query(
      `SELECT id FROM mailbox WHERE kind = 'local-authority-education' ORDER BY id LIMIT 1`,
    );
    const body = incident();
    const { schoolUrn: _school, ...child } = body.children[0];
    const submitted = await submit({ ...body, children: [{ ...child, educatedAtHome: true }] });
    expect(submitted.notifications[0]).toMatchObject({ educatedAtHome: true });
    const delivered = await untilStatus(submitted.incidentId, 'delivered');
    expect(delivered).toMatchObject({ mailboxId: la.id });
    const messageId = submitted.notifications[0].messageId;
    const deliveries = await hubDb.query(
      'SELECT id, mailbox_id FROM delivery WHERE submission_id = $1',
      [messageId],
    );
    expect(deliveries).toEqual([{ id: expect.any(String), mailbox_id: la.id }]);
    const officer = await mailboxToken(la.id, 'la-education-officer');
    const read = await request(education.url)
      .get(`/mailboxes/${la.id}/notifications/${deliveries[0].id}`)
      .set('Authorization', `Bearer ${officer}`);
    expect(read.status).toBe(200);
    expect(read.body.notification).toMatchObject({
      recipientMailboxId: la.id,
      child: { name: child.name, dateOfBirth: child.dateOfBirth },
    });
    const inbox = await education.app
      .get(DataSource)
      .query('SELECT mailbox_id FROM inbox_message WHERE subject_ref = $1', [
        await subjectRefOf(messageId),
      ]);
    expect(inbox).toEqual([{ mailbox_id: la.id }]);
  });

  it('answers a second notification for the same child, incident and school with a signed DUPLICATE_NOTIFICATION naming the first', async () => {
    const body = incident();
    const first = await submit(body);
    await untilStatus(first.incidentId, 'delivered');
    const second = await submit(body);
    const rejected = await untilStatus(second.incidentId, 'rejected');
    const original = first.notifications[0].messageId;
    expect(rejected).toMatchObject({
      rejection: { code: 'DUPLICATE_NOTIFICATION', reason: expect.stringContaining(original) },
    });
    expect(
      await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [
        second.notifications[0].messageId,
      ]),
    ).toHaveLength(0);
    expect(await inboxRowsFor(await subjectRefOf(second.notifications[0].messageId))).toHaveLength(
      0,
    );
  });

  it('loses and duplicates nothing when the hub stops mid-stream and starts again', async () => {
    const first = await Promise.all([submit(incident()), submit(incident()), submit(incident())]);
    await hub.app.close();
    const second = await Promise.all([submit(incident()), submit(incident())]);
    hub = await startService(HubModule, hubPort);
    hubDb = hub.app.get(DataSource);
    for (const submitted of [...first, ...second]) {
      await untilStatus(submitted.incidentId, 'delivered');
      const messageId = submitted.notifications[0].messageId;
      expect(await inboxRowsFor(await subjectRefOf(messageId))).toHaveLength(1);
      expect(
        await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
      ).toHaveLength(1);
    }
  });

  it('loses and duplicates nothing when the hub process is killed with SIGKILL mid-stream', async () => {
    await hub.app.close();
    const hubProcess = new ServiceProcess('hub', hubPort);
    await hubProcess.start();
    const registryDb = await openHubDatabase();
    const first = await Promise.all([submit(incident()), submit(incident()), submit(incident())]);
    // No shutdown hook, no offset commit, no transaction finished: as a crash would leave it.
    await hubProcess.kill();
    const second = await Promise.all([submit(incident()), submit(incident())]);
    await hubProcess.start();
    try {
      for (const submitted of [...first, ...second]) {
        await untilStatus(submitted.incidentId, 'delivered');
        const messageId = submitted.notifications[0].messageId;
        expect(await inboxRowsFor(await subjectRefOf(messageId))).toHaveLength(1);
        expect(
          await registryDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
        ).toHaveLength(1);
      }
    } finally {
      await registryDb.destroy();
      await hubProcess.stop();
      hub = await startService(HubModule, hubPort);
      hubDb = hub.app.get(DataSource);
    }
  });

  it('publishes rows committed while no relay ran exactly once, from the next instance', async () => {
    process.env.OUTBOX_RELAY_ENABLED = 'false';
    const stopped = await startService(PoliceModule);
    process.env.OUTBOX_RELAY_ENABLED = 'true';
    const response = await request(stopped.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${agencyToken}`)
      .send(incident());
    expect(response.status).toBe(202);
    const messageId = response.body.notifications[0].messageId;
    const [row] = await stopped.app
      .get(DataSource)
      .query(`SELECT sent_at FROM outbox WHERE headers->>'ce_id' = $1`, [messageId]);
    expect(row.sent_at).toBeNull();
    // The unsent row is already the JWE to the hub: no name or date of birth at rest.
    const unsent: { value: string }[] = await stopped.app
      .get(DataSource)
      .query('SELECT value FROM outbox WHERE sent_at IS NULL AND value IS NOT NULL');
    expect(unsent.length).toBeGreaterThan(0);
    for (const { value } of unsent) expectNoPersonalData(value);
    const ownRow: { value: string }[] = await stopped.app
      .get(DataSource)
      .query(`SELECT value FROM outbox WHERE headers->>'ce_id' = $1`, [messageId]);
    expect(ownRow[0].value.split('.')).toHaveLength(5);
    // The process goes away with its row unsent; the running instance's relay picks it up.
    await stopped.app.close();
    await untilStatus(response.body.incidentId, 'delivered');
    await eventually(async () =>
      submissionsReader.records.some((r) => r.headers?.ce_id?.toString() === messageId)
        ? true
        : undefined,
    );
    expect(
      submissionsReader.records.filter((r) => r.headers?.ce_id?.toString() === messageId),
    ).toHaveLength(1);
  });

  it('refuses a submission encrypted to another key and a bare JWS, each quarantined with its code', async () => {
    const stranger = await generateEncryptionKeyPair();
    const misaddressed = await publishSubmission((jws) => encryptEnvelope(jws, stranger.publicJwk));
    const bare = await publishSubmission(async (jws) => jws);
    const first = await quarantined(misaddressed);
    expect(first.headers?.sgx_refusal_code?.toString()).toBe('NOT_ADDRESSED_TO_NODE');
    // Quarantine keeps the record as it came: still the JWE, nothing readable.
    expect(first.value?.toString().split('.')).toHaveLength(5);
    const second = await quarantined(bare);
    expect(second.headers?.sgx_refusal_code?.toString()).toBe('NOT_ENCRYPTED');
    for (const messageId of [misaddressed, bare]) {
      expect(
        await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
      ).toHaveLength(0);
    }
  });

  it('never carries a name or a date of birth in plaintext on a delivery, submission or receipt topic, nor in the police outbox', async () => {
    expect(submissionsReader.records.length).toBeGreaterThan(0);
    expect(receiptsReader.records.length).toBeGreaterThan(0);
    const records = [...readers, submissionsReader, receiptsReader].flatMap(
      (reader) => reader.records,
    );
    for (const record of records) {
      expectNoPersonalData(
        [
          record.key?.toString() ?? '',
          record.value?.toString() ?? '',
          ...Object.values(record.headers ?? {}).map(String),
        ].join('\n'),
      );
    }
    // Every submission the police node sent is a JWE (five parts), never the bare signed envelope.
    const ours = submissionsReader.records.filter((record) =>
      submittedIds.has(record.headers?.ce_id?.toString() ?? ''),
    );
    expect(ours.length).toBe(submittedIds.size);
    for (const record of ours) expect(record.value?.toString().split('.')).toHaveLength(5);
    const outboxRows: { value: string | null; headers: object }[] = await police.app
      .get(DataSource)
      .query('SELECT value, headers FROM outbox');
    for (const row of outboxRows)
      expectNoPersonalData(`${row.value ?? ''}${JSON.stringify(row.headers)}`);
  });
});
