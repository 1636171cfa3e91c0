/**
 * The domestic abuse notification journey (Operation Encompass), end to end: police to the
 * child's school, health (school nursing or health visiting by age) and the MASH. Real: the Kafka
 * broker, PostgreSQL, the police adapter, the hub and the education, health and social care
 * adapters as Nest apps with their Kafka transport, keys in a temporary KEYS_DIR, bearer tokens
 * from a test issuer over HTTP. Faked: only the hub's clock, moved forward for the overdue case.
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
  loadNodeKeyring,
  signEnvelope,
} from '@app/crypto';
import { Clock } from '@app/platform';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { auditEventOf } from '../support/audit-signing';
import { publishAsTest } from '../support/test-kafka';
import { RawTopicReader } from '../support/raw-topic-reader';
import { openHubDatabase, registerNodeKeys } from '../support/registry-fixtures';
import { ServiceProcess } from '../support/service-process';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(300_000);

const MASH = 'mash';
const SCHOOL_NURSING = 'school-nursing';
const HEALTH_VISITING = 'health-visiting';

/** One recipient of a child's notification as the police node shows it. */
interface RecipientStatus {
  role: string | null;
  mailboxId: string;
  status: string;
  acknowledgeBy: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  rejection: { code: string; reason: string } | null;
  sharingRefusal: { ruleId: string; policyVersion: string; reason: string } | null;
}

interface ChildStatus extends Record<string, unknown> {
  messageId: string;
  status: string;
  mailboxId: string | null;
  recipients: RecipientStatus[];
}

describe('domestic abuse notification: police to the school, health and the MASH, end to end', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-journey-keys-'));
  let hubPort: number;
  let hub: RunningService;
  let police: RunningService;
  let education: RunningService;
  let health: RunningService;
  let socialCare: RunningService;
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
    new RawTopicReader(deliveryTopic('health')),
    new RawTopicReader(deliveryTopic('social-care')),
  ];
  const submissionsReader = new RawTopicReader(Topics.submissions);
  const auditReader = new RawTopicReader(Topics.auditEvents);

  /** The hub's audit events about one submitted message, as the audit service receives them. */
  const hubAuditsOf = (messageId: string, action: string) =>
    auditReader.records
      .map((record) => auditEventOf(record.value))
      .filter((event) => event.actor === 'hub' && event.messageId === messageId)
      .filter((event) => event.action === action);
  // The nodes' webhook endpoint: refuses the first call for each message, then accepts.
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
    await publishAsTest(Topics.submissions, [
      envelopeKafkaRecord(await seal(jws), { ...claims, iat }),
    ]);
    return claims.jti;
  }

  const quarantined = (messageId: string) =>
    eventually(
      async () =>
        quarantineReader.find((record) => record.headers?.ce_id?.toString() === messageId),
      { what: `message ${messageId} in quarantine` },
    );

  /** An incident with one school-age child (school nursing), at this test's school by default. */
  function incident(
    schoolUrn = urn,
    extra: object = {},
    dateOfBirth = `2016-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
  ) {
    const name = `Child ${randomUUID().slice(0, 8)} Testperson`;
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

  /** The first child's notification as the police system sees it. */
  async function statusOf(incidentId: string) {
    const response = await request(police.url)
      .get(`/incidents/${incidentId}/notifications`)
      .set('Authorization', `Bearer ${agencyToken}`);
    expect(response.status).toBe(200);
    return response.body.notifications[0] as ChildStatus;
  }

  /** Waits until every named recipient (mailbox id → status) shows that status at the police. */
  const untilRecipients = (incidentId: string, expected: Record<string, string>) =>
    eventually(
      async () => {
        const current = await statusOf(incidentId);
        const ok = Object.entries(expected).every(([mailboxId, status]) =>
          current.recipients.some((r) => r.mailboxId === mailboxId && r.status === status),
        );
        return ok ? current : undefined;
      },
      { what: `recipients ${JSON.stringify(expected)}`, timeoutMs: 60_000 },
    );

  const recipientOf = (status: ChildStatus, mailboxId: string) =>
    status.recipients.find((r) => r.mailboxId === mailboxId)!;

  /** The hub's deliveries of one notification: mailbox → delivery id. */
  async function deliveriesOf(messageId: string): Promise<Record<string, string>> {
    const rows: { id: string; mailbox_id: string }[] = await hubDb.query(
      'SELECT id, mailbox_id FROM delivery WHERE submission_id = $1',
      [messageId],
    );
    return Object.fromEntries(rows.map((row) => [row.mailbox_id, row.id]));
  }

  /** The node a mailbox of this test is on. */
  const nodeOf = (mailbox: string) =>
    mailbox === MASH
      ? socialCare
      : mailbox === SCHOOL_NURSING || mailbox === HEALTH_VISITING
        ? health
        : education;

  /** The view in a mailbox, as its user reads it. */
  async function readView(service: RunningService, mailbox: string, deliveryId: string) {
    const response = await request(service.url)
      .get(`/mailboxes/${mailbox}/notifications/${deliveryId}`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox)}`);
    expect(response.status).toBe(200);
    return response.body as {
      status: string;
      dueAt: string;
      notification: Record<string, unknown>;
    };
  }

  async function acknowledge(
    service: RunningService,
    mailbox: string,
    deliveryId: string,
    by: string,
  ) {
    const ack = await request(service.url)
      .post(`/mailboxes/${mailbox}/notifications/${deliveryId}/acknowledge`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox, by)}`);
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: by });
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

  /** A node's inbox rows about a subject (the school's node unless another is named). */
  async function inboxRowsFor(
    subjectRef: string,
    service = education,
  ): Promise<{ message_id: string; mailbox_id: string }[]> {
    return service.app
      .get(DataSource)
      .query('SELECT message_id, mailbox_id FROM inbox_message WHERE subject_ref = $1', [
        subjectRef,
      ]);
  }

  async function subjectRefOf(messageId: string): Promise<string> {
    const [row] = await police.app
      .get(DataSource)
      .query('SELECT subject_ref FROM incident_notification WHERE message_id = $1', [messageId]);
    return row.subject_ref;
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
      ('northshire-education', 'Education', 'education', 'northshire'),
      ('northshire-community-health', 'Health', 'health', 'northshire'),
      ('northshire-childrens-social-care', 'Social care', 'social-care', 'northshire')
      ON CONFLICT DO NOTHING`);
    await hubDb.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES
      ('hub', 'northshire-exchange', 'hub'), ('police', 'northshire-police', 'police'),
      ('education', 'northshire-education', 'education'),
      ('health', 'northshire-community-health', 'health'),
      ('social-care', 'northshire-childrens-social-care', 'social-care')
      ON CONFLICT (id) DO UPDATE SET status = 'active'`);
    await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
      ('education-escalation', 'education', 'escalation', 'Escalation', NULL),
      ('${MASH}', 'social-care', 'mash', 'MASH', NULL),
      ('social-care-escalation', 'social-care', 'escalation', 'MASH escalation', NULL),
      ('${SCHOOL_NURSING}', 'health', 'school-nursing', 'School nursing', NULL),
      ('${HEALTH_VISITING}', 'health', 'health-visiting', 'Health visiting', NULL),
      ('health-escalation', 'health', 'escalation', 'Health escalation', NULL)
      ON CONFLICT DO NOTHING`);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, 'education', 'designated-safeguarding-lead', 'Test school DSL', $2)`,
      [schoolMailbox, urn],
    );
    for (const nodeId of ['hub', 'police', 'education', 'health', 'social-care']) {
      await registerNodeKeys(hubDb, keysDir, nodeId);
    }
    [police, education, health, socialCare] = await Promise.all([
      startService(PoliceModule),
      startService(EducationModule),
      startService(HealthModule),
      startService(SocialCareModule),
    ]);
    await Promise.all([...allReaders, auditReader].map((reader) => reader.start()));
    agencyToken = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-cad',
    });
  });

  afterAll(async () => {
    await Promise.all([...allReaders, auditReader].map((reader) => reader.stop()));
    // The test's school leaves the registry (deliveries name mailboxes without a foreign key).
    await hubDb?.query('DELETE FROM mailbox WHERE id = $1', [schoolMailbox]);
    await Promise.all(
      [hub, police, education, health, socialCare].map((service) => service?.app.close()),
    );
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

  it('delivers to the school, school nursing and the MASH, each exactly its rule’s fields; each acknowledges and the police see every recipient', async () => {
    const body = incident();
    const child = body.children[0];
    const submitted = await submit(body);
    const [notification] = submitted.notifications;
    // Nothing heard from the hub yet, or only its routing answer.
    expect(['submitted', 'routed']).toContain((await statusOf(submitted.incidentId)).status);

    const delivered = await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    // The school first (the police's Operation Encompass duty), each in the role the hub named.
    expect(delivered.recipients.map((r) => [r.role, r.mailboxId])).toEqual([
      ['school', schoolMailbox],
      ['health', SCHOOL_NURSING],
      ['mash', MASH],
    ]);
    for (const recipient of delivered.recipients) {
      expect(recipient).toMatchObject({
        acknowledgeBy: expect.any(String),
        deliveredAt: expect.any(String),
        acknowledgedAt: null,
        rejection: null,
        sharingRefusal: null,
      });
    }
    // The child's own fields are the school's.
    expect(delivered).toMatchObject({
      mailboxId: schoolMailbox,
      status: 'delivered',
      deliveredAt: recipientOf(delivered, schoolMailbox).deliveredAt,
      acknowledgeBy: recipientOf(delivered, schoolMailbox).acknowledgeBy,
    });
    const deliveries = await deliveriesOf(notification.messageId);
    expect(Object.keys(deliveries).sort()).toEqual([MASH, SCHOOL_NURSING, schoolMailbox].sort());

    // The school: the Operation Encompass set, field by field, and nothing else.
    const dsl = await mailboxToken(schoolMailbox, 'dsl-hillside');
    const list = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications`)
      .set('Authorization', `Bearer ${dsl}`);
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(1);
    const item = list.body[0];
    expect(item).toMatchObject({ status: 'received', dueAt: expect.any(String) });
    expect(item.messageId).toBe(deliveries[schoolMailbox]);
    expect(item.dueAt).toBe(recipientOf(delivered, schoolMailbox).acknowledgeBy);
    const encompassSet = {
      policeReference: body.policeReference,
      occurredAt: body.occurredAt,
      location: body.location,
      child: {
        name: child.name,
        dateOfBirth: child.dateOfBirth,
        presence: 'witnessing',
        voiceOfChild: 'Hid upstairs',
      },
      circumstances: body.circumstances,
    };
    const read = await readView(education, schoolMailbox, item.messageId);
    expect(read.notification).toEqual({
      recipientMailboxId: schoolMailbox,
      acknowledgeBy: item.dueAt,
      ...encompassSet,
    });
    // Never the investigation, the risk assessment or the basis.
    expect(JSON.stringify(read)).not.toMatch(
      /actionsTaken|Suspect arrested|riskLevel|lawfulBasis|consent|safeguardingJustification|familyInformed|schoolUrn/,
    );

    // School nursing: the school's set and the risk level.
    const nursing = await readView(health, SCHOOL_NURSING, deliveries[SCHOOL_NURSING]);
    expect(nursing.notification).toEqual({
      recipientMailboxId: SCHOOL_NURSING,
      acknowledgeBy: recipientOf(delivered, SCHOOL_NURSING).acknowledgeBy,
      ...encompassSet,
      riskLevel: 'high',
    });
    expect(JSON.stringify(nursing)).not.toMatch(
      /actionsTaken|Suspect arrested|lawfulBasis|consent|safeguardingJustification|familyInformed|schoolUrn/,
    );

    // The MASH: the whole notification.
    const mash = await readView(socialCare, MASH, deliveries[MASH]);
    expect(mash.notification).toEqual({
      recipientMailboxId: MASH,
      acknowledgeBy: recipientOf(delivered, MASH).acknowledgeBy,
      policeReference: body.policeReference,
      occurredAt: body.occurredAt,
      location: body.location,
      child: { ...child },
      riskLevel: 'high',
      circumstances: body.circumstances,
      actionsTaken: body.actionsTaken,
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch8-para4',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
    });
    // Every recipient acknowledges by the same deadline: the start of the next school day.
    expect(new Set(delivered.recipients.map((r) => r.acknowledgeBy)).size).toBe(1);

    // Another mailbox's user sees nothing of it.
    const other = await mailboxToken('school-other-dsl');
    const foreign = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications/${item.messageId}`)
      .set('Authorization', `Bearer ${other}`);
    expect(foreign.status).toBe(403);

    await acknowledge(education, schoolMailbox, deliveries[schoolMailbox], 'dsl-hillside');
    await acknowledge(health, SCHOOL_NURSING, deliveries[SCHOOL_NURSING], 'school-nurse-ali');
    await acknowledge(socialCare, MASH, deliveries[MASH], 'mash-duty-sw');

    const acknowledged = await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'acknowledged',
      [SCHOOL_NURSING]: 'acknowledged',
      [MASH]: 'acknowledged',
    });
    expect(acknowledged.recipients.map((r) => [r.mailboxId, r.acknowledgedBy])).toEqual([
      [schoolMailbox, 'dsl-hillside'],
      [SCHOOL_NURSING, 'school-nurse-ali'],
      [MASH, 'mash-duty-sw'],
    ]);
    expect(acknowledged).toMatchObject({
      messageId: notification.messageId,
      status: 'acknowledged',
      acknowledgedBy: 'dsl-hillside',
      acknowledgedAt: expect.any(String),
      deliveredAt: expect.any(String),
    });
    const deadlines = await hubDb.query(
      `SELECT v.mailbox_id, d.kind, d.state FROM deadline d JOIN delivery v ON v.id = d.delivery_id
        WHERE v.submission_id = $1 ORDER BY v.mailbox_id`,
      [notification.messageId],
    );
    expect(deadlines).toEqual(
      [MASH, SCHOOL_NURSING, schoolMailbox]
        .sort()
        .map((mailbox_id) => ({ mailbox_id, kind: 'acknowledgement', state: 'met' })),
    );
  });

  it('tells the health visitor, not the school nurse, about a child under five on the incident date', async () => {
    const now = new Date();
    // Four years old today: born four years ago, a week later in the year.
    const born = new Date(Date.UTC(now.getUTCFullYear() - 4, now.getUTCMonth(), now.getUTCDate()));
    born.setUTCDate(born.getUTCDate() - 7);
    const body = incident(urn, {}, born.toISOString().slice(0, 10));
    const submitted = await submit(body);
    const { messageId } = submitted.notifications[0];
    const delivered = await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'delivered',
      [HEALTH_VISITING]: 'delivered',
      [MASH]: 'delivered',
    });
    expect(delivered.recipients.map((r) => [r.role, r.mailboxId])).toEqual([
      ['school', schoolMailbox],
      ['health', HEALTH_VISITING],
      ['mash', MASH],
    ]);
    const rows = await hubDb.query(
      'SELECT mailbox_id, rule_id FROM delivery WHERE submission_id = $1 ORDER BY mailbox_id',
      [messageId],
    );
    expect(rows).toEqual(
      [
        { mailbox_id: HEALTH_VISITING, rule_id: 'encompass-health-set' },
        { mailbox_id: MASH, rule_id: 'encompass-mash-full' },
        { mailbox_id: schoolMailbox, rule_id: 'encompass-school-set' },
      ].sort((a, b) => a.mailbox_id.localeCompare(b.mailbox_id)),
    );
    const deliveries = await deliveriesOf(messageId);
    const view = await readView(health, HEALTH_VISITING, deliveries[HEALTH_VISITING]);
    expect(Object.keys(view.notification).sort()).toEqual(
      [
        'acknowledgeBy',
        'child',
        'circumstances',
        'location',
        'occurredAt',
        'policeReference',
        'recipientMailboxId',
        'riskLevel',
      ].sort(),
    );
    expect(view.notification).toMatchObject({
      recipientMailboxId: HEALTH_VISITING,
      riskLevel: 'high',
      child: { name: body.children[0].name, dateOfBirth: body.children[0].dateOfBirth },
    });
    expect(await inboxRowsFor(await subjectRefOf(messageId), health)).toEqual([
      { message_id: deliveries[HEALTH_VISITING], mailbox_id: HEALTH_VISITING },
    ]);
  });

  it('minimises each view by its policy rule, records the basis and audits each decision', async () => {
    const consentAt = new Date().toISOString();
    const body = incident(urn, {
      consent: { position: 'given', by: 'parent', at: consentAt },
      safeguardingJustification: undefined,
      familyInformed: true,
    });
    const submitted = await submit(body);
    const { messageId } = submitted.notifications[0];
    await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    const deliveries: {
      id: string;
      mailbox_id: string;
      shared_under: string;
      rule_id: string;
      policy_version: string;
    }[] = await hubDb.query(
      `SELECT id, mailbox_id, shared_under, rule_id, policy_version FROM delivery
        WHERE submission_id = $1 ORDER BY mailbox_id`,
      [messageId],
    );
    const ruleOf = Object.fromEntries(deliveries.map((d) => [d.mailbox_id, d.rule_id]));
    expect(ruleOf).toEqual({
      [schoolMailbox]: 'encompass-school-set',
      [SCHOOL_NURSING]: 'encompass-health-set',
      [MASH]: 'encompass-mash-full',
    });
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({
        shared_under: 'consent',
        policy_version: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.\d+$/),
      });
    }
    const decisions = await eventually(async () => {
      const found = hubAuditsOf(messageId, 'policy-decision');
      return found.length === 3 ? found : undefined;
    });
    for (const delivery of deliveries) {
      expect(decisions).toContainEqual(
        expect.objectContaining({
          decision: delivery.mailbox_id === MASH ? 'allow' : 'allow-with-fields',
          ruleId: delivery.rule_id,
          policyVersion: delivery.policy_version,
          recipientMailbox: delivery.mailbox_id,
          detail: expect.stringContaining('family informed: yes; shared under consent'),
        }),
      );
    }
    const viewOf = (mailbox: string) =>
      readView(nodeOf(mailbox), mailbox, deliveries.find((d) => d.mailbox_id === mailbox)!.id);
    const school = await viewOf(schoolMailbox);
    expect(Object.keys(school.notification).sort()).toEqual(
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
    expect(JSON.stringify(school)).not.toMatch(/consent|familyInformed|parent|riskLevel/);
    const nursing = await viewOf(SCHOOL_NURSING);
    expect(Object.keys(nursing.notification).sort()).toEqual(
      [...Object.keys(school.notification), 'riskLevel'].sort(),
    );
    expect(JSON.stringify(nursing)).not.toMatch(/consent|familyInformed|parent|actionsTaken/);
    // The MASH sees whom the consent came from and that the family was told.
    const mash = await viewOf(MASH);
    expect(mash.notification).toMatchObject({
      consent: { position: 'given', by: 'parent', at: consentAt },
      lawfulBasis: 'dpa2018-sch8-para4',
      familyInformed: true,
      riskLevel: 'high',
      actionsTaken: body.actionsTaken,
    });
    expect(mash.notification).not.toHaveProperty('safeguardingJustification');
  });

  it('refuses to share without consent or justification: a signed sharing-refused per recipient, nothing delivered', async () => {
    const submitted = await submit(
      incident(urn, { safeguardingJustification: undefined, familyInformed: false }),
    );
    const { messageId } = submitted.notifications[0];
    const refused = await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'sharing-refused',
      [SCHOOL_NURSING]: 'sharing-refused',
      [MASH]: 'sharing-refused',
    });
    expect(refused).toMatchObject({
      status: 'sharing-refused',
      mailboxId: schoolMailbox,
      sharingRefusedAt: expect.any(String),
      sharingRefusal: {
        ruleId: 'no-consent-no-justification',
        policyVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.\d+$/),
        reason: expect.stringContaining('Neither consent nor a stated safeguarding justification'),
      },
    });
    for (const recipient of refused.recipients) {
      expect(recipient.sharingRefusal).toMatchObject({ ruleId: 'no-consent-no-justification' });
      expect(recipient.deliveredAt).toBeNull();
    }
    expect(
      await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [messageId]),
    ).toHaveLength(0);
    const subjectRef = await subjectRefOf(messageId);
    for (const service of [education, health, socialCare]) {
      expect(await inboxRowsFor(subjectRef, service)).toHaveLength(0);
    }
    const audits = await eventually(async () => {
      const found = [
        ...hubAuditsOf(messageId, 'policy-decision'),
        ...hubAuditsOf(messageId, 'sharing-refused'),
      ];
      return found.length === 6 ? found : undefined;
    });
    expect(new Set(audits.map((event) => event.recipientMailbox))).toEqual(
      new Set([schoolMailbox, SCHOOL_NURSING, MASH]),
    );
    for (const event of audits) {
      expect(event).toMatchObject({
        decision: 'refuse',
        ruleId: 'no-consent-no-justification',
        policyVersion: (refused.sharingRefusal as { policyVersion: string }).policyVersion,
        detail: expect.stringContaining('family informed: no; not shared'),
      });
    }
  });

  it("tells the school's webhook once, ids only, with the body's HMAC, after a failed first call", async () => {
    const submitted = await submit(incident());
    await untilStatus(submitted.incidentId, 'delivered');
    const [delivery] = await hubDb.query(
      'SELECT id FROM delivery WHERE submission_id = $1 AND mailbox_id = $2',
      [submitted.notifications[0].messageId, schoolMailbox],
    );
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
    await publishAsTest(deliveryTopic('education'), [
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

  it('escalates each unacknowledged recipient when the deadline passes, once, to its agency', async () => {
    const submitted = await submit(incident());
    const { messageId } = submitted.notifications[0];
    await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    const rows: { due_at: Date; id: string; mailbox_id: string }[] = await hubDb.query(
      `SELECT d.due_at, v.id, v.mailbox_id FROM deadline d JOIN delivery v ON v.id = d.delivery_id
        WHERE v.submission_id = $1`,
      [messageId],
    );
    expect(rows).toHaveLength(3);
    const clock = hub.app.get(Clock);
    const spy = jest
      .spyOn(clock, 'now')
      .mockReturnValue(new Date(new Date(rows[0].due_at).getTime() + 60_000));
    try {
      const overdue = await untilRecipients(submitted.incidentId, {
        [schoolMailbox]: 'overdue',
        [SCHOOL_NURSING]: 'overdue',
        [MASH]: 'overdue',
      });
      expect(overdue).toMatchObject({ status: 'overdue', overdueAt: expect.any(String) });
      // Each agency's escalation mailbox hears of its own mailbox's delivery.
      for (const [service, escalationMailbox, overdueMailbox] of [
        [education, 'education-escalation', schoolMailbox],
        [health, 'health-escalation', SCHOOL_NURSING],
        [socialCare, 'social-care-escalation', MASH],
      ] as const) {
        const deliveryId = rows.find((row) => row.mailbox_id === overdueMailbox)!.id;
        const token = await mailboxToken(escalationMailbox);
        const escalation = await eventually(
          async () => {
            const list = await request(service.url)
              .get(`/mailboxes/${escalationMailbox}/notifications`)
              .set('Authorization', `Bearer ${token}`);
            for (const item of list.body as { messageId: string }[]) {
              const read = await request(service.url)
                .get(`/mailboxes/${escalationMailbox}/notifications/${item.messageId}`)
                .set('Authorization', `Bearer ${token}`);
              if (read.body.notification?.messageId === deliveryId) return read.body;
            }
            return undefined;
          },
          { what: `the escalation in ${escalationMailbox}` },
        );
        expect(escalation.notification).toMatchObject({ overdueMailboxId: overdueMailbox });
      }
      const states = await hubDb.query('SELECT state FROM deadline WHERE delivery_id = ANY($1)', [
        rows.map((row) => row.id),
      ]);
      expect(states).toEqual([
        { state: 'escalated' },
        { state: 'escalated' },
        { state: 'escalated' },
      ]);
    } finally {
      spy.mockRestore();
    }
  });

  it('still tells health and the MASH when the school’s URN is unknown; the school is refused with a signed rejection naming it', async () => {
    const submitted = await submit(incident('1000000'));
    const { messageId } = submitted.notifications[0];
    const status = await untilRecipients(submitted.incidentId, {
      '1000000': 'rejected',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    expect(recipientOf(status, '1000000')).toMatchObject({
      role: 'school',
      acknowledgeBy: null,
      rejection: {
        code: 'RECIPIENT_UNKNOWN',
        reason: 'no school with this URN is in the registry',
      },
    });
    // The child's own status is the school's: rejected.
    expect(status).toMatchObject({
      status: 'rejected',
      rejection: { code: 'RECIPIENT_UNKNOWN' },
    });
    expect(Object.keys(await deliveriesOf(messageId)).sort()).toEqual(
      [MASH, SCHOOL_NURSING].sort(),
    );
    const subjectRef = await subjectRefOf(messageId);
    expect(await inboxRowsFor(subjectRef)).toHaveLength(0);
    expect((await inboxRowsFor(subjectRef, health)).map((row) => row.mailbox_id)).toEqual([
      SCHOOL_NURSING,
    ]);
    expect((await inboxRowsFor(subjectRef, socialCare)).map((row) => row.mailbox_id)).toEqual([
      MASH,
    ]);
    // Not quarantined: the message was sound, one recipient was not found.
    expect(
      quarantineReader.find((record) => record.headers?.ce_id?.toString() === messageId),
    ).toBeUndefined();
  });

  it('still tells health and the MASH when the school’s node is suspended; the school is refused with a signed rejection naming it', async () => {
    // A school of its own on a node of its own, suspended in the registry.
    const nodeId = `school-node-${randomUUID().slice(0, 8)}`;
    const suspendedUrn = String(randomInt(1_000_000, 9_999_999));
    const suspendedMailbox = `school-${suspendedUrn}-dsl`;
    await hubDb.query(
      `INSERT INTO node (id, agency_id, kafka_principal, status) VALUES ($1, 'northshire-education', $1, 'suspended')`,
      [nodeId],
    );
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, $2, 'designated-safeguarding-lead', 'Suspended school DSL', $3)`,
      [suspendedMailbox, nodeId, suspendedUrn],
    );
    try {
      const submitted = await submit(incident(suspendedUrn));
      const { messageId } = submitted.notifications[0];
      const status = await untilRecipients(submitted.incidentId, {
        [suspendedMailbox]: 'rejected',
        [SCHOOL_NURSING]: 'delivered',
        [MASH]: 'delivered',
      });
      expect(recipientOf(status, suspendedMailbox)).toMatchObject({
        role: 'school',
        rejection: {
          code: 'RECIPIENT_NODE_INACTIVE',
          reason: expect.stringMatching(/not active/),
        },
      });
      expect(status).toMatchObject({
        status: 'rejected',
        mailboxId: suspendedMailbox,
        rejection: { code: 'RECIPIENT_NODE_INACTIVE' },
      });
      expect(Object.keys(await deliveriesOf(messageId)).sort()).toEqual(
        [MASH, SCHOOL_NURSING].sort(),
      );
      const subjectRef = await subjectRefOf(messageId);
      expect(await inboxRowsFor(subjectRef)).toHaveLength(0);
      // Nothing went out on the education delivery topic for this subject.
      expect(
        readers[0].records.filter((record) => record.key?.toString() === subjectRef),
      ).toHaveLength(0);
      expect(await inboxRowsFor(subjectRef, socialCare)).toHaveLength(1);
    } finally {
      await hubDb.query('DELETE FROM mailbox WHERE node_id = $1', [nodeId]);
      await hubDb.query('DELETE FROM node WHERE id = $1', [nodeId]);
    }
  });

  it("delivers a child educated at home to the local authority's education mailbox (no school), health and the MASH", async () => {
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
    const status = await untilRecipients(submitted.incidentId, {
      [la.id]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    expect(status).toMatchObject({ mailboxId: la.id, status: 'delivered', educatedAtHome: true });
    expect(recipientOf(status, la.id).role).toBe('school');
    const messageId = submitted.notifications[0].messageId;
    const deliveries = await deliveriesOf(messageId);
    expect(Object.keys(deliveries).sort()).toEqual([la.id, MASH, SCHOOL_NURSING].sort());
    const read = await readView(education, la.id, deliveries[la.id]);
    expect(read.notification).toMatchObject({
      recipientMailboxId: la.id,
      child: { name: child.name, dateOfBirth: child.dateOfBirth },
    });
    expect(read.notification.child).not.toHaveProperty('educatedAtHome');
    // The MASH learns the child is educated at home.
    const mash = await readView(socialCare, MASH, deliveries[MASH]);
    expect(mash.notification.child).toEqual({ ...child, educatedAtHome: true });
    expect(await inboxRowsFor(await subjectRefOf(messageId))).toEqual([
      { message_id: deliveries[la.id], mailbox_id: la.id },
    ]);
  });

  it('answers a second notification for the same child and incident with a signed DUPLICATE_NOTIFICATION per mailbox, naming the first', async () => {
    const body = incident();
    const first = await submit(body);
    await untilRecipients(first.incidentId, {
      [schoolMailbox]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    const second = await submit(body);
    const rejected = await untilRecipients(second.incidentId, {
      [schoolMailbox]: 'rejected',
      [SCHOOL_NURSING]: 'rejected',
      [MASH]: 'rejected',
    });
    const original = first.notifications[0].messageId;
    for (const recipient of rejected.recipients) {
      expect(recipient.rejection).toMatchObject({
        code: 'DUPLICATE_NOTIFICATION',
        reason: expect.stringContaining(original),
      });
    }
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejection: { code: 'DUPLICATE_NOTIFICATION', reason: expect.stringContaining(original) },
    });
    const secondId = second.notifications[0].messageId;
    expect(
      await hubDb.query('SELECT 1 FROM delivery WHERE submission_id = $1', [secondId]),
    ).toHaveLength(0);
    expect(await inboxRowsFor(await subjectRefOf(secondId))).toHaveLength(0);
  });

  it('delivers a repeated notification only to the mailbox that missed the first (the MASH, its node suspended then), and answers DUPLICATE_NOTIFICATION for the others', async () => {
    const body = incident();
    await hubDb.query(`UPDATE node SET status = 'suspended' WHERE id = 'social-care'`);
    let first: Awaited<ReturnType<typeof submit>>;
    try {
      first = await submit(body);
      await untilRecipients(first.incidentId, {
        [schoolMailbox]: 'delivered',
        [SCHOOL_NURSING]: 'delivered',
        [MASH]: 'rejected',
      });
    } finally {
      await hubDb.query(`UPDATE node SET status = 'active' WHERE id = 'social-care'`);
    }
    expect(recipientOf(await statusOf(first.incidentId), MASH).rejection).toMatchObject({
      code: 'RECIPIENT_NODE_INACTIVE',
    });
    const second = await submit(body);
    const status = await untilRecipients(second.incidentId, {
      [schoolMailbox]: 'rejected',
      [SCHOOL_NURSING]: 'rejected',
      [MASH]: 'delivered',
    });
    expect(recipientOf(status, schoolMailbox).rejection).toMatchObject({
      code: 'DUPLICATE_NOTIFICATION',
      reason: expect.stringContaining(first.notifications[0].messageId),
    });
    expect(Object.keys(await deliveriesOf(second.notifications[0].messageId))).toEqual([MASH]);
  });

  /**
   * The three deliveries of a child's notification each made once: one delivery row per
   * recipient in the hub, one inbox row in each recipient's node, all three delivered at the police.
   */
  async function expectDeliveredOnceToEach(
    submitted: Awaited<ReturnType<typeof submit>>,
    registryDb: DataSource,
  ) {
    await untilRecipients(submitted.incidentId, {
      [schoolMailbox]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
      [MASH]: 'delivered',
    });
    const messageId = submitted.notifications[0].messageId;
    const subjectRef = await subjectRefOf(messageId);
    for (const [service, mailbox] of [
      [education, schoolMailbox],
      [health, SCHOOL_NURSING],
      [socialCare, MASH],
    ] as const) {
      expect((await inboxRowsFor(subjectRef, service)).map((row) => row.mailbox_id)).toEqual([
        mailbox,
      ]);
    }
    const rows: { mailbox_id: string }[] = await registryDb.query(
      'SELECT mailbox_id FROM delivery WHERE submission_id = $1 ORDER BY mailbox_id',
      [messageId],
    );
    expect(rows.map((row) => row.mailbox_id)).toEqual([MASH, SCHOOL_NURSING, schoolMailbox].sort());
  }

  it('loses and duplicates nothing when the hub stops mid-stream and starts again', async () => {
    const first = await Promise.all([submit(incident()), submit(incident()), submit(incident())]);
    await hub.app.close();
    const second = await Promise.all([submit(incident()), submit(incident())]);
    hub = await startService(HubModule, hubPort);
    hubDb = hub.app.get(DataSource);
    for (const submitted of [...first, ...second]) {
      await expectDeliveredOnceToEach(submitted, hubDb);
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
        await expectDeliveredOnceToEach(submitted, registryDb);
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

  it('never carries a name or a date of birth in plaintext on a delivery (school, health, social care, police), submission or receipt topic, nor in the police outbox', async () => {
    expect(submissionsReader.records.length).toBeGreaterThan(0);
    expect(receiptsReader.records.length).toBeGreaterThan(0);
    // Every delivery topic of the journey carried this test's records, names and all, encrypted.
    for (const reader of readers) expect(reader.records.length).toBeGreaterThan(0);
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
