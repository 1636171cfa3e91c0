/**
 * Corrections, end to end. Real: the Kafka broker, PostgreSQL, the police adapter (notifies a
 * domestic abuse incident, then corrects it: a wrong date of birth and school, then withdraws
 * it), the education adapter (two schools' mailboxes; one school refers a child to the MASH and
 * the education system corrects the referral), the health and social care adapters (school
 * nursing and the MASH) and the hub, as Nest apps with their Kafka transport, keys in a
 * temporary KEYS_DIR, bearer tokens from a test issuer over HTTP. Nothing is faked.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  CORRECTION,
  CORRECTION_VIEW,
  deliveryTopic,
  ENCOMPASS_VIEW,
  REFERRAL_VIEW,
  Topics,
} from '@app/contracts';
import { Clock } from '@app/platform';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { DeadlineEscalationJob } from '../../apps/hub/src/deadlines/deadline-escalation.job';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { auditEventOf } from '../support/audit-signing';
import { publishAsTest } from '../support/test-kafka';
import { RawTopicReader } from '../support/raw-topic-reader';
import { registerNodeKeys } from '../support/registry-fixtures';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(240_000);

const MASH = 'mash';
const SCHOOL_NURSING = 'school-nursing';

interface CorrectionStatus {
  messageId: string;
  originalMessageId: string;
  status: string;
  routedAt: string | null;
  rejection: { code: string } | null;
  recipients: {
    mailboxId: string;
    role: string | null;
    status: string;
    acknowledgeBy: string | null;
    acknowledgedBy: string | null;
  }[];
}

interface MailboxRead {
  messageId: string;
  type: string;
  status: string;
  supersededBy: string | null;
  notification: Record<string, unknown>;
  correction: {
    originalMessageId: string;
    state: string;
    current: Record<string, unknown> | null;
    history: { messageId: string; correctionNumber: number; kind: string; reason: string }[];
  } | null;
}

describe('corrections: a correction reaches exactly the mailboxes that hold the message', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-corrections-keys-'));
  let hub: RunningService;
  let police: RunningService;
  let education: RunningService;
  let health: RunningService;
  let socialCare: RunningService;
  let hubDb: DataSource;
  let policeToken: string;
  let educationToken: string;
  const urnA = String(randomInt(1_000_000, 9_999_999));
  const urnB = String(randomInt(1_000_000, 9_999_999));
  const mailboxA = `school-${urnA}-dsl`;
  const mailboxB = `school-${urnB}-dsl`;
  /** What must never travel in clear: the children's names and dates of birth, the reasons. */
  const secrets: string[] = [];
  const readers = [
    new RawTopicReader(Topics.submissions),
    new RawTopicReader(Topics.receipts),
    new RawTopicReader(deliveryTopic('education')),
    new RawTopicReader(deliveryTopic('police')),
    new RawTopicReader(deliveryTopic('health')),
    new RawTopicReader(deliveryTopic('social-care')),
    new RawTopicReader(Topics.auditEvents),
  ];
  const [submissionsReader] = readers;
  const auditReader = readers[readers.length - 1];

  const hubAudits = (action: string, match: (event: Record<string, unknown>) => boolean) =>
    auditReader.records
      .map((record) => auditEventOf(record.value) as unknown as Record<string, unknown>)
      .filter((event) => event.actor === 'hub' && event.action === action && match(event));

  const mailboxToken = (mailbox: string, subject = 'dsl-test') =>
    issuer.token({ roles: ['mailbox-user'], mailboxes: [mailbox], subject });

  const nodeOf = (mailbox: string) =>
    mailbox === MASH ? socialCare : mailbox === SCHOOL_NURSING ? health : education;

  function incidentChild(urn: string, subjectRef: string) {
    const name = `Child ${randomUUID().slice(0, 8)} Testperson`;
    const dateOfBirth = `2016-0${randomInt(1, 9)}-1${randomInt(0, 9)}`;
    secrets.push(name, dateOfBirth);
    return { name, dateOfBirth, schoolUrn: urn, presence: 'witnessing', subjectRef };
  }

  const incident = (child: Record<string, unknown>) => ({
    policeReference: `NP-${randomUUID().slice(0, 8)}`,
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    location: '12 Example Road, Northtown',
    children: [child],
    riskLevel: 'medium',
    circumstances: 'Child witnessed an argument between adults at home',
    actionsTaken: 'Suspect arrested; investigation ongoing',
    consent: { position: 'not-sought' },
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    lawfulBasis: 'dpa2018-sch8-para4',
    familyInformed: false,
  });

  /** The signed notification as the police node builds it from an incident, for one child. */
  function notificationOf(sent: ReturnType<typeof incident>) {
    const { subjectRef: _subjectRef, ...child } = sent.children[0] as Record<string, unknown>;
    const { children: _children, ...rest } = sent;
    return { ...rest, child };
  }

  /** Delivered: the hub's rows for a submission, once every recipient's node has filed its own. */
  async function deliveriesOf(submissionId: string, count: number) {
    const rows = await eventually(
      async () => {
        const found: { id: string; mailbox_id: string; delivered_at: Date | null }[] =
          await hubDb.query(
            `SELECT id, mailbox_id, delivered_at FROM delivery WHERE submission_id = $1`,
            [submissionId],
          );
        return found.length === count && found.every((row) => row.delivered_at) ? found : undefined;
      },
      { what: `${count} deliveries of ${submissionId}`, timeoutMs: 60_000 },
    );
    return Object.fromEntries(rows.map((row) => [row.mailbox_id, row.id]));
  }

  async function correct(body: Record<string, unknown>, node = police, token = () => policeToken) {
    return request(node.url)
      .post('/corrections')
      .set('Authorization', `Bearer ${token()}`)
      .send(body);
  }

  const untilCorrection = (
    messageId: string,
    accept: (status: CorrectionStatus) => boolean,
    what: string,
    node = police,
    token = () => policeToken,
  ) =>
    eventually(
      async () => {
        const response = await request(node.url)
          .get(`/corrections/${messageId}`)
          .set('Authorization', `Bearer ${token()}`);
        expect(response.status).toBe(200);
        const status = response.body as CorrectionStatus;
        return accept(status) ? status : undefined;
      },
      { what, timeoutMs: 60_000 },
    );

  async function read(mailbox: string, messageId: string): Promise<MailboxRead> {
    const response = await request(nodeOf(mailbox).url)
      .get(`/mailboxes/${mailbox}/notifications/${messageId}`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox)}`);
    expect(response.status).toBe(200);
    return response.body as MailboxRead;
  }

  /** The mailbox's listed items (the latest of each thread). */
  async function listed(mailbox: string) {
    const response = await request(nodeOf(mailbox).url)
      .get(`/mailboxes/${mailbox}/notifications`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox)}`);
    expect(response.status).toBe(200);
    return response.body as {
      messageId: string;
      type: string;
      updated: boolean;
      correctionState: string | null;
    }[];
  }

  async function acknowledge(mailbox: string, messageId: string) {
    const ack = await request(nodeOf(mailbox).url)
      .post(`/mailboxes/${mailbox}/notifications/${messageId}/acknowledge`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox, `${mailbox}-user`)}`);
    expect(ack.status).toBe(200);
  }

  /** A mailbox's own delivery of a correction, from the hub's records. */
  async function correctionDelivery(correctionId: string, mailbox: string): Promise<string> {
    const [row] = await hubDb.query(
      `SELECT id FROM delivery WHERE submission_id = $1 AND mailbox_id = $2`,
      [correctionId, mailbox],
    );
    return row.id as string;
  }

  beforeAll(async () => {
    await issuer.start();
    const hubPort = await freePort();
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`,
      OUTBOX_POLL_INTERVAL_MS: '200',
      DEADLINE_CHECK_INTERVAL_MS: '300',
    });
    hub = await startService(HubModule, hubPort);
    hubDb = hub.app.get(DataSource);
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
      ('${SCHOOL_NURSING}', 'health', 'school-nursing', 'School nursing', NULL)
      ON CONFLICT DO NOTHING`);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
        ($1, 'education', 'designated-safeguarding-lead', 'Test school A DSL', $2),
        ($3, 'education', 'designated-safeguarding-lead', 'Test school B DSL', $4)`,
      [mailboxA, urnA, mailboxB, urnB],
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
    await Promise.all(readers.map((reader) => reader.start()));
    policeToken = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-cad',
    });
    educationToken = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-education',
      subject: 'education-mis',
    });
  });

  afterAll(async () => {
    await Promise.all(readers.map((reader) => reader.stop()));
    await hubDb?.query('DELETE FROM mailbox WHERE id = ANY($1)', [[mailboxA, mailboxB]]);
    await Promise.all(
      [hub, police, education, health, socialCare].map((service) => service?.app.close()),
    );
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('refuses at the boundary: 400 naming each field, 404 for a message the node never sent, 403 without the role', async () => {
    const invalid = await correct({ originalMessageId: 'not-a-uuid', kind: 'fixed', reason: '' });
    expect(invalid.status).toBe(400);
    const text = JSON.stringify(invalid.body.message);
    for (const field of ['originalMessageId', 'kind', 'reason']) expect(text).toContain(field);

    const unknown = await correct({
      originalMessageId: randomUUID(),
      kind: 'withdrawn',
      reason: 'r',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('ORIGINAL_UNKNOWN');

    const subjectRef = randomUUID();
    const sent = incident(incidentChild(urnA, subjectRef));
    const response = await request(police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${policeToken}`)
      .send(sent);
    expect(response.status).toBe(202);
    const { messageId } = response.body.notifications[0] as { messageId: string };
    // The corrected message is held to the original's contract, field by field.
    const corrected = notificationOf(sent);
    const badDate = await correct({
      originalMessageId: messageId,
      kind: 'amended',
      reason: 'wrong date of birth',
      corrected: { ...corrected, child: { ...corrected.child, dateOfBirth: '31/02/2016' } },
    });
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(badDate.body.message)).toContain('child.dateOfBirth');
    const missing = await correct({ originalMessageId: messageId, kind: 'amended', reason: 'x' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.message)).toContain('corrected');
    const withMessage = await correct({
      originalMessageId: messageId,
      kind: 'withdrawn',
      reason: 'x',
      corrected,
    });
    expect(withMessage.status).toBe(400);

    // Another node's message is not this node's to correct: the same 404.
    const foreign = await correct(
      { originalMessageId: messageId, kind: 'withdrawn', reason: 'x' },
      education,
      () => educationToken,
    );
    expect(foreign.status).toBe(404);
    const asMailboxUser = await request(police.url)
      .post('/corrections')
      .set('Authorization', `Bearer ${await mailboxToken(mailboxA)}`)
      .send({ originalMessageId: messageId, kind: 'withdrawn', reason: 'x' });
    expect(asMailboxUser.status).toBe(403);
    const noSuch = await request(police.url)
      .get(`/corrections/${randomUUID()}`)
      .set('Authorization', `Bearer ${policeToken}`);
    expect(noSuch.status).toBe(404);
  });

  it('domestic abuse: a wrong date of birth and school reach the holders, the new school, and a notice to the old one; a redelivery changes nothing; a withdrawal reaches only who holds it now', async () => {
    const subjectRef = randomUUID();
    const sent = incident(incidentChild(urnA, subjectRef));
    const response = await request(police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${policeToken}`)
      .send(sent);
    expect(response.status).toBe(202);
    const { messageId: originalId } = response.body.notifications[0] as { messageId: string };
    const originals = await deliveriesOf(originalId, 3);
    expect(Object.keys(originals).sort()).toEqual([MASH, mailboxA, SCHOOL_NURSING].sort());

    const notification = notificationOf(sent);
    const dateOfBirth = `2015-0${randomInt(1, 9)}-2${randomInt(0, 8)}`;
    const reason = `Wrong date of birth and school ${randomUUID()}`;
    secrets.push(dateOfBirth, reason);
    const corrected = {
      ...notification,
      child: { ...notification.child, dateOfBirth, schoolUrn: urnB },
    };
    const submitted = await correct({
      originalMessageId: originalId,
      kind: 'amended',
      reason,
      corrected,
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ originalMessageId: originalId, subjectRef });
    const correctionId = submitted.body.messageId as string;

    const routed = await untilCorrection(
      correctionId,
      (s) => s.recipients.length === 4 && s.recipients.every((r) => r.status === 'delivered'),
      'the correction delivered to every holder, the new school and the old one',
    );
    expect(routed.status).toBe('routed');
    expect(routed.recipients.map((r) => [r.mailboxId, r.role])).toEqual(
      [
        [MASH, 'recipient'],
        [SCHOOL_NURSING, 'recipient'],
        [mailboxA, 'not-for-recipient'],
        [mailboxB, 'new-recipient'],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
    for (const recipient of routed.recipients) {
      expect(recipient.acknowledgeBy).toEqual(expect.any(String));
    }
    // Nobody else: the hub delivered the correction to exactly these four.
    const [{ n: delivered }] = await hubDb.query(
      'SELECT count(*)::int AS n FROM delivery WHERE submission_id = $1',
      [correctionId],
    );
    expect(delivered).toBe(4);

    // The MASH: one item, the correction, with the current fields and its history; the
    // original stays linked and readable.
    const mashCorrection = await correctionDelivery(correctionId, MASH);
    const atMash = await read(MASH, mashCorrection);
    expect(atMash.type).toBe(CORRECTION_VIEW.type);
    expect(atMash.correction).toMatchObject({
      originalMessageId: originals[MASH],
      state: 'amended',
      history: [{ messageId: mashCorrection, correctionNumber: 1, kind: 'amended', reason }],
    });
    expect(atMash.correction!.current).toMatchObject({
      child: { dateOfBirth, schoolUrn: urnB },
      actionsTaken: notification.actionsTaken,
      recipientMailboxId: MASH,
    });
    const mashListed = await listed(MASH);
    const mashItems = mashListed.map((item) => item.messageId);
    // The inbox can mark the item as amended without opening it.
    expect(mashListed.find((item) => item.messageId === mashCorrection)?.correctionState).toBe(
      'amended',
    );
    expect(mashItems).toContain(mashCorrection);
    expect(mashItems).not.toContain(originals[MASH]);
    const mashOriginal = await read(MASH, originals[MASH]);
    expect(mashOriginal.supersededBy).toBe(mashCorrection);
    expect(mashOriginal.correction?.state).toBe('amended');
    expect((mashOriginal.notification.child as Record<string, unknown>).dateOfBirth).toBe(
      notification.child.dateOfBirth,
    );

    // School nursing: the policy still decides the fields: health's Encompass set, no
    // investigation.
    const nursingCorrection = await correctionDelivery(correctionId, SCHOOL_NURSING);
    const atNursing = await read(SCHOOL_NURSING, nursingCorrection);
    expect(atNursing.correction!.current).toMatchObject({ child: { dateOfBirth } });
    expect(atNursing.correction!.current).not.toHaveProperty('actionsTaken');

    // The new school: the corrected notification as a notification of its own, the Encompass set.
    const newSchool = await correctionDelivery(correctionId, mailboxB);
    const atB = await read(mailboxB, newSchool);
    expect(atB.type).toBe(ENCOMPASS_VIEW.type);
    expect(atB.notification).toMatchObject({
      child: { name: notification.child.name, dateOfBirth },
      recipientMailboxId: mailboxB,
    });
    expect(atB.notification).not.toHaveProperty('actionsTaken');
    expect(atB.notification).not.toHaveProperty('riskLevel');

    // The old school: told it was not for them, with no fields of the child.
    const oldSchool = await correctionDelivery(correctionId, mailboxA);
    const atA = await read(mailboxA, oldSchool);
    expect(atA.notification).toMatchObject({
      kind: 'not-for-recipient',
      originalMessageId: originals[mailboxA],
      reason,
    });
    expect(atA.notification).not.toHaveProperty('corrected');
    expect(atA.correction).toMatchObject({ state: 'not-for-recipient', current: null });
    expect(
      (await listed(mailboxA)).find((item) => item.messageId === oldSchool)?.correctionState,
    ).toBe('not-for-recipient');

    // The hub's deadlines: each original's open acknowledgement superseded, one per correction.
    const states = await hubDb.query(
      `SELECT v.mailbox_id, d.state FROM deadline d JOIN delivery v ON v.id = d.delivery_id
        WHERE v.submission_id = $1 AND d.kind = 'acknowledgement' ORDER BY v.mailbox_id`,
      [originalId],
    );
    for (const row of states) expect(row.state).toBe('superseded');
    const open = await hubDb.query(
      `SELECT d.kind, d.state FROM deadline d JOIN delivery v ON v.id = d.delivery_id
        WHERE v.submission_id = $1`,
      [correctionId],
    );
    expect(open).toHaveLength(4);
    for (const row of open) expect(row).toEqual({ kind: 'acknowledgement', state: 'open' });

    // The trail links the correction to the original, and its deliveries to the correction.
    const [linked] = await eventually(async () => {
      const found = hubAudits('corrected', (e) => e.messageId === correctionId);
      return found.length ? found : undefined;
    });
    expect(linked).toMatchObject({ correlationId: originalId, subjectRef, senderNode: 'police' });
    const routedEvents = await eventually(async () => {
      const found = hubAudits('routed', (e) => e.correlationId === correctionId);
      return found.length === 4 ? found : undefined;
    });
    expect(routedEvents.map((e) => e.recipientMailbox).sort()).toEqual(
      [MASH, SCHOOL_NURSING, mailboxA, mailboxB].sort(),
    );

    // Acknowledgements reach the sender.
    await acknowledge(MASH, mashCorrection);
    await acknowledge(mailboxA, oldSchool);
    const acknowledged = await untilCorrection(
      correctionId,
      (s) => s.recipients.filter((r) => r.status === 'acknowledged').length === 2,
      'two acknowledgements at the police node',
    );
    expect(
      acknowledged.recipients.filter((r) => r.status === 'acknowledged').map((r) => r.mailboxId),
    ).toEqual([MASH, mailboxA].sort());

    // The same correction again on the submissions topic: nothing new anywhere.
    const record = await eventually(async () =>
      submissionsReader.find((r) => r.headers?.ce_id?.toString() === correctionId),
    );
    expect(record.headers?.ce_type?.toString()).toContain(CORRECTION.type);
    const before = (await listed(MASH)).length;
    const handled = async () => {
      const metrics = (await request(hub.url).get('/metrics')).text;
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('sgx_kafka_records_total') &&
            l.includes(Topics.submissions) &&
            l.includes('handled'),
        );
      return Number(line?.split(' ').pop() ?? 0);
    };
    const handledBefore = await handled();
    await publishAsTest(Topics.submissions, [
      {
        key: record.key!.toString(),
        value: record.value!,
        headers: Object.fromEntries(
          Object.entries(record.headers ?? {}).map(([k, v]) => [k, String(v)]),
        ),
      },
    ]);
    await eventually(async () => ((await handled()) > handledBefore ? true : undefined), {
      what: 'the copy to be handled by the hub',
    });
    const [{ n: again }] = await hubDb.query(
      'SELECT count(*)::int AS n FROM delivery WHERE submission_id = $1',
      [correctionId],
    );
    expect(again).toBe(4);
    const [{ n: corrections }] = await hubDb.query(
      'SELECT count(*)::int AS n FROM correction WHERE original_id = $1',
      [originalId],
    );
    expect(corrections).toBe(1);
    expect((await listed(MASH)).length).toBe(before);

    // Past the deadline: the correction's unacknowledged deliveries (school nursing, the new
    // school) are escalated and the police see them overdue; the acknowledged ones are not;
    // the originals' superseded deadlines never escalate.
    const [{ due_at: dueAt }] = await hubDb.query(
      `SELECT max(d.due_at) AS due_at FROM deadline d JOIN delivery v ON v.id = d.delivery_id
        WHERE v.submission_id = $1`,
      [correctionId],
    );
    const spy = jest
      .spyOn(hub.app.get(Clock), 'now')
      .mockReturnValue(new Date(new Date(dueAt).getTime() + 60_000));
    try {
      const overdue = await untilCorrection(
        correctionId,
        (s) => s.recipients.filter((r) => r.status === 'overdue').length === 2,
        'the correction’s escalations at the police node',
      );
      expect(overdue.recipients.map((r) => [r.mailboxId, r.status])).toEqual(
        [
          [MASH, 'acknowledged'],
          [SCHOOL_NURSING, 'overdue'],
          [mailboxA, 'acknowledged'],
          [mailboxB, 'overdue'],
        ].sort((a, b) => a[0].localeCompare(b[0])),
      );
      await hub.app.get(DeadlineEscalationJob).run();
      const originalStates = await hubDb.query(
        `SELECT d.state FROM deadline d JOIN delivery v ON v.id = d.delivery_id
          WHERE v.submission_id = $1`,
        [originalId],
      );
      expect(originalStates.map((row: { state: string }) => row.state)).toEqual(
        originalStates.map(() => 'superseded'),
      );
    } finally {
      spy.mockRestore();
    }

    // A withdrawal now reaches who holds the message now: the MASH, school nursing and the
    // new school; not the old school, which was told it was never for them.
    const withdrawn = await correct({
      originalMessageId: originalId,
      kind: 'withdrawn',
      reason: 'Allegation withdrawn',
    });
    expect(withdrawn.status).toBe(202);
    const told = await untilCorrection(
      withdrawn.body.messageId as string,
      (s) => s.recipients.length === 3 && s.recipients.every((r) => r.status === 'delivered'),
      'the withdrawal delivered',
    );
    expect(told.recipients.map((r) => [r.mailboxId, r.role])).toEqual(
      [
        [MASH, 'recipient'],
        [SCHOOL_NURSING, 'recipient'],
        [mailboxB, 'recipient'],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
    const atBAfter = await read(
      mailboxB,
      await correctionDelivery(withdrawn.body.messageId as string, mailboxB),
    );
    expect(atBAfter.correction).toMatchObject({
      originalMessageId: newSchool,
      state: 'withdrawn',
      current: null,
    });
    const mashAfter = await read(
      MASH,
      await correctionDelivery(withdrawn.body.messageId as string, MASH),
    );
    expect(mashAfter.correction!.history.map((h) => [h.correctionNumber, h.kind])).toEqual([
      [1, 'amended'],
      [2, 'withdrawn'],
    ]);
    expect(
      (await listed(MASH)).find((item) => item.messageId === mashAfter.messageId)?.correctionState,
    ).toBe('withdrawn');
    // Nothing is left to correct.
    const late = await correct({ originalMessageId: originalId, kind: 'withdrawn', reason: 'x' });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('ORIGINAL_WITHDRAWN');
  });

  it('referral: the school corrects a child’s date of birth; the MASH sees the corrected referral with its history', async () => {
    const name = `Child ${randomUUID().slice(0, 8)} Testperson`;
    secrets.push(name);
    const body = {
      child: { name, dateOfBirth: '2015-04-12', gender: 'female', schoolOrSetting: 'Test school' },
      concerns: 'Repeated unexplained bruising; child says she is afraid to go home',
      actionsTaken: 'Spoke with the child; informed the head teacher',
      referrerContact: { name: 'A. Teacher', role: 'Designated safeguarding lead' },
      riskLevel: 'high',
      consent: { position: 'given', by: 'Parent Testperson', at: new Date().toISOString() },
      lawfulBasis: 'dpa2018-sch1-para18',
      familyInformed: true,
    };
    const referred = await request(education.url)
      .post(`/mailboxes/${mailboxA}/referrals`)
      .set('Authorization', `Bearer ${await mailboxToken(mailboxA)}`)
      .send(body);
    expect(referred.status).toBe(202);
    const { referralId, completeness, subjectRef } = referred.body as {
      referralId: string;
      completeness: number;
      subjectRef: string;
    };
    const [toMash] = Object.values(await deliveriesOf(referralId, 1));

    // A referral keeps its id when corrected.
    const full = { ...body, referralId, referrerMailboxId: mailboxA, completeness };
    const wrongId = await correct(
      {
        originalMessageId: referralId,
        kind: 'amended',
        reason: 'wrong date of birth',
        corrected: { ...full, referralId: randomUUID() },
      },
      education,
      () => educationToken,
    );
    expect(wrongId.status).toBe(202);
    const refused = await untilCorrection(
      wrongId.body.messageId as string,
      (s) => s.status === 'rejected',
      'the hub’s refusal of a referral with another id',
      education,
      () => educationToken,
    );
    expect(refused.rejection?.code).toBe('SCHEMA_INVALID');

    const submitted = await correct(
      {
        originalMessageId: referralId,
        kind: 'amended',
        reason: 'wrong date of birth',
        corrected: { ...full, child: { ...full.child, dateOfBirth: '2014-04-12' } },
      },
      education,
      () => educationToken,
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body.subjectRef).toBe(subjectRef);
    const routed = await untilCorrection(
      submitted.body.messageId as string,
      (s) => s.recipients.length === 1 && s.recipients[0].status === 'delivered',
      'the correction delivered to the MASH',
      education,
      () => educationToken,
    );
    expect(routed.recipients.map((r) => [r.mailboxId, r.role])).toEqual([[MASH, 'recipient']]);
    const delivery = await correctionDelivery(submitted.body.messageId as string, MASH);
    const atMash = await read(MASH, delivery);
    expect(atMash.correction).toMatchObject({
      originalMessageId: toMash,
      state: 'amended',
      history: [{ correctionNumber: 1, kind: 'amended', reason: 'wrong date of birth' }],
    });
    expect(atMash.notification.correctedType).toBe(REFERRAL_VIEW.type);
    expect(atMash.correction!.current).toMatchObject({
      referralId,
      child: { name, dateOfBirth: '2014-04-12' },
      recipientMailboxId: MASH,
    });
    await acknowledge(MASH, delivery);
    const acknowledged = await untilCorrection(
      submitted.body.messageId as string,
      (s) => s.status === 'acknowledged',
      'the MASH’s acknowledgement at the education node',
      education,
      () => educationToken,
    );
    expect(acknowledged.recipients[0].acknowledgedBy).toBe(`${MASH}-user`);
  });

  it('puts no personal data on any topic in clear', async () => {
    expect(secrets.length).toBeGreaterThan(5);
    for (const reader of readers) {
      for (const record of reader.records) {
        const text = [record.key?.toString() ?? '', record.value?.toString() ?? ''].join('\n');
        for (const secret of secrets) {
          expect(text).not.toContain(secret);
          expect(text).not.toContain(Buffer.from(secret).toString('base64url'));
        }
      }
    }
  });
});
