/**
 * Missing episodes, end to end. Real: the Kafka broker, PostgreSQL, the police adapter (reports),
 * the hub, the social care adapter (the MASH, the return home interview), the education adapter
 * (the school) and the health adapter (school nursing) as Nest apps with their Kafka transport,
 * keys in a temporary KEYS_DIR, bearer tokens from a test issuer over HTTP. Faked: only the hub's
 * clock, moved forward for the overdue interview.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  deliveryTopic,
  envelopeKafkaRecord,
  RETURN_HOME_INTERVIEW_OUTCOME,
  Topics,
} from '@app/contracts';
import { encryptEnvelope, loadNodeKeyring, signEnvelope } from '@app/crypto';
import { Clock } from '@app/platform';
import { JWK } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { DeadlineEscalationJob } from '../../apps/hub/src/deadlines/deadline-escalation.job';
import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { auditEventOf } from '../support/audit-signing';
import { publishAsTest } from '../support/test-kafka';
import { RawTopicReader } from '../support/raw-topic-reader';
import { registerNodeKeys } from '../support/registry-fixtures';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(300_000);

const MASH = 'mash';
const SCHOOL_NURSING = 'school-nursing';
const SOCIAL_CARE_ESCALATION = 'social-care-escalation';
const POLICE_MAILBOX = 'police-safeguarding-hub';
const VIEW_TYPE = 'uk.safeguarding.exchange.missing-episode-view';
const RHI_VIEW_TYPE = 'uk.safeguarding.exchange.return-home-interview-outcome-view';

/** What the school and health may see of a report (deploy/policy/sharing-policy.json). */
const SCHOOL_AND_HEALTH_FIELDS = [
  'acknowledgeBy',
  'child',
  'episodeId',
  'episodesInLast90Days',
  'exploitationIndicators',
  'kind',
  'recipientMailboxId',
  'reportNumber',
  'reporterReference',
  'riskGrading',
  'startedAt',
  'status',
];

interface Recipient {
  mailboxId: string;
  status: string;
  messageId: string;
  reportNumber: number;
  sharingRefusal: { ruleId: string; policyVersion: string; reason: string } | null;
  rejection: { code: string; reason: string } | null;
  [key: string]: unknown;
}

interface EpisodeStatus {
  episodeId: string;
  status: string;
  reports: { messageId: string; reportNumber: number; status: string; rejection: unknown }[];
  recipients: Recipient[];
  returnHomeInterview: {
    dueAt: string | null;
    mailboxId: string | null;
    overdueAt: string | null;
    receivedAt: string | null;
    outcome: Record<string, unknown> | null;
  };
}

describe('missing episodes: police and social care to the MASH, the school and health, end to end', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-missing-keys-'));
  const hubEncryptionKey: { jwk?: JWK } = {};
  let hub: RunningService;
  let police: RunningService;
  let socialCare: RunningService;
  let education: RunningService;
  let health: RunningService;
  let hubDb: DataSource;
  let policeSystem: string;
  let socialCareSystem: string;
  const urn = String(randomInt(1_000_000, 9_999_999));
  const schoolMailbox = `school-${urn}-dsl`;
  const names: string[] = [];
  const births: string[] = [];
  const readers = [
    new RawTopicReader(Topics.submissions),
    new RawTopicReader(Topics.receipts),
    new RawTopicReader(deliveryTopic('police')),
    new RawTopicReader(deliveryTopic('social-care')),
    new RawTopicReader(deliveryTopic('education')),
    new RawTopicReader(deliveryTopic('health')),
  ];
  const [submissionsReader] = readers;
  const quarantineReader = new RawTopicReader(Topics.quarantine);
  const auditReader = new RawTopicReader(Topics.auditEvents);

  const mailboxToken = (mailbox: string, subject = 'mailbox-user-test') =>
    issuer.token({ roles: ['mailbox-user'], mailboxes: [mailbox], subject });

  /** A report of a new episode: a 12-year-old at this test's school, missing from care. */
  function episode(extra: Record<string, unknown> = {}) {
    const name = `Child ${randomUUID().slice(0, 8)} Testperson`;
    const dateOfBirth = `2014-0${randomInt(1, 9)}-1${randomInt(0, 9)}`;
    names.push(name);
    births.push(dateOfBirth);
    return {
      episodeId: randomUUID(),
      reporterMailboxId: POLICE_MAILBOX,
      reporterReference: `NP-MISPER-${randomInt(1000, 9999)}`,
      kind: 'from-care',
      child: { name, dateOfBirth, schoolUrn: urn },
      status: 'missing',
      startedAt: new Date(Date.now() - 6 * 3_600_000).toISOString(),
      riskGrading: 'high',
      exploitationIndicators: ['county-lines', 'child-criminal-exploitation'],
      episodesInLast90Days: 3,
      circumstances: 'Did not return to the children’s home; seen getting into a car',
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch8-para4',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
      ...extra,
    };
  }
  type Episode = ReturnType<typeof episode>;

  const found = (report: Episode, foundAt = new Date(Date.now() - 3_600_000).toISOString()) => ({
    ...report,
    status: 'found',
    foundAt,
    circumstances: `${report.circumstances}; found at a flat in another town`,
  });

  async function report(body: object, service = police, token = policeSystem) {
    const response = await request(service.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${token}`)
      .send(body);
    expect(response.status).toBe(202);
    return response.body as { episodeId: string; messageId: string; reportNumber: number };
  }

  async function statusOf(episodeId: string, service = police, token = policeSystem) {
    const response = await request(service.url)
      .get(`/missing-episodes/${episodeId}`)
      .set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    return response.body as EpisodeStatus;
  }

  /** Waits until every named recipient shows the status for the report with this message id. */
  const untilRecipients = (
    episodeId: string,
    messageId: string,
    expected: Record<string, string>,
    service = police,
    token = policeSystem,
  ) =>
    eventually(
      async () => {
        const current = await statusOf(episodeId, service, token);
        const ok = Object.entries(expected).every(([mailboxId, status]) =>
          current.recipients.some(
            (r) => r.mailboxId === mailboxId && r.messageId === messageId && r.status === status,
          ),
        );
        return ok ? current : undefined;
      },
      { what: `recipients ${JSON.stringify(expected)}`, timeoutMs: 60_000 },
    );

  /** The mailbox's items about this episode, as its users see them (list, then read each). */
  async function itemsFor(service: RunningService, mailbox: string, episodeId: string) {
    const token = await mailboxToken(mailbox);
    const list = await request(service.url)
      .get(`/mailboxes/${mailbox}/notifications`)
      .set('Authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    const items = [];
    for (const item of list.body as { messageId: string; type: string }[]) {
      if (item.type !== VIEW_TYPE) continue;
      const read = await request(service.url)
        .get(`/mailboxes/${mailbox}/notifications/${item.messageId}`)
        .set('Authorization', `Bearer ${token}`);
      // Items of earlier runs are encrypted to keys this run does not hold; tombstones
      // (notification null) are items the retention e2e purged.
      if (read.status !== 200) continue;
      if (read.body.notification?.episodeId === episodeId) items.push(read.body);
    }
    return items as {
      messageId: string;
      status: string;
      updated: boolean;
      reports: number;
      dueAt: string;
      notification: Record<string, unknown>;
    }[];
  }

  async function acknowledge(service: RunningService, mailbox: string, messageId: string) {
    const response = await request(service.url)
      .post(`/mailboxes/${mailbox}/notifications/${messageId}/acknowledge`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox, `${mailbox}-user`)}`);
    expect(response.status).toBe(200);
  }

  /** The hub's deliveries of one report, by mailbox. */
  async function deliveriesOf(messageId: string): Promise<Record<string, string>> {
    const rows: { id: string; mailbox_id: string }[] = await hubDb.query(
      'SELECT id, mailbox_id FROM delivery WHERE submission_id = $1',
      [messageId],
    );
    return Object.fromEntries(rows.map((row) => [row.mailbox_id, row.id]));
  }

  /** A return home interview outcome signed by a node and sealed to the hub, past its API. */
  async function publishOutcome(nodeId: string, episodeId: string) {
    const ring = await loadNodeKeyring(keysDir, nodeId);
    const claims = {
      iss: nodeId,
      sub: randomUUID(),
      jti: randomUUID(),
      type: RETURN_HOME_INTERVIEW_OUTCOME.type,
      version: RETURN_HOME_INTERVIEW_OUTCOME.version,
    };
    const jws = await signEnvelope(
      {
        ...claims,
        body: {
          episodeId,
          outcome: 'declined',
          reasonNotHeld: 'Declined',
          conductedBy: { by: 'social-care' },
          exploitationDisclosed: [],
          nextSteps: 'None',
          lawfulBasis: 'dpa2018-sch1-para18',
          recordedAt: new Date().toISOString(),
        },
      },
      ring.signing,
    );
    const iat = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()).iat as number;
    await publishAsTest(Topics.submissions, [
      envelopeKafkaRecord(await encryptEnvelope(jws, hubEncryptionKey.jwk!), { ...claims, iat }),
    ]);
    return claims.jti;
  }

  const quarantined = (messageId: string) =>
    eventually(
      async () =>
        quarantineReader.find((record) => record.headers?.ce_id?.toString() === messageId),
      { what: `message ${messageId} in quarantine`, timeoutMs: 60_000 },
    );

  /** Fails when a name or date of birth of this test's children is in the text in clear. */
  function expectNoPersonalData(text: string) {
    for (const secret of [...names, ...births]) expect(text).not.toContain(secret);
    for (const secret of names) {
      expect(text).not.toContain(Buffer.from(secret).toString('base64url'));
    }
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
      ('${MASH}', 'social-care', 'mash', 'MASH', NULL),
      ('${SOCIAL_CARE_ESCALATION}', 'social-care', 'escalation', 'MASH escalation', NULL),
      ('${SCHOOL_NURSING}', 'health', 'school-nursing', 'School nursing', NULL),
      ('health-visiting', 'health', 'health-visiting', 'Health visiting', NULL),
      ('${POLICE_MAILBOX}', 'police', 'police-safeguarding', 'Police safeguarding', NULL)
      ON CONFLICT DO NOTHING`);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, 'education', 'designated-safeguarding-lead', 'Test school DSL', $2)`,
      [schoolMailbox, urn],
    );
    for (const nodeId of ['hub', 'police', 'social-care', 'education', 'health']) {
      const encryptionKey = await registerNodeKeys(hubDb, keysDir, nodeId);
      if (nodeId === 'hub') hubEncryptionKey.jwk = encryptionKey;
    }
    [police, socialCare, education, health] = await Promise.all([
      startService(PoliceModule),
      startService(SocialCareModule),
      startService(EducationModule),
      startService(HealthModule),
    ]);
    await Promise.all([...readers, quarantineReader, auditReader].map((reader) => reader.start()));
    policeSystem = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-misper',
    });
    socialCareSystem = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-childrens-social-care',
      subject: 'lcs-system',
    });
  });

  afterAll(async () => {
    await Promise.all([...readers, quarantineReader, auditReader].map((reader) => reader.stop()));
    await hubDb?.query('DELETE FROM mailbox WHERE id = $1', [schoolMailbox]);
    await Promise.all(
      [hub, police, socialCare, education, health].map((service) => service?.app.close()),
    );
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('refuses an invalid report with 400 naming every invalid field, and callers without the agency-system role', async () => {
    const body = episode({
      kind: 'from-school',
      status: 'found',
      riskGrading: 'standard',
      exploitationIndicators: ['gangs'],
      episodesInLast90Days: -1,
      child: { name: '', dateOfBirth: '2014-13-45' },
      consent: { position: 'given' },
      familyInformed: undefined,
    });
    const response = await request(police.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${policeSystem}`)
      .send(body);
    expect(response.status).toBe(400);
    const text = JSON.stringify(response.body.message);
    for (const field of [
      'kind',
      'foundAt',
      'riskGrading',
      'exploitationIndicators',
      'episodesInLast90Days',
      'child.name',
      'child.dateOfBirth',
      'child.schoolUrn',
      'consent.by',
      'consent.at',
      'familyInformed',
    ]) {
      expect(text).toContain(field);
    }
    const notBefore = await request(police.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${policeSystem}`)
      .send(found(episode(), new Date(Date.now() - 24 * 3_600_000).toISOString()));
    expect(notBefore.status).toBe(400);
    expect(JSON.stringify(notBefore.body.message)).toContain(
      'foundAt must not be before startedAt',
    );
    const [{ n }] = await police.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM missing_episode WHERE episode_id = ANY($1)', [
        [body.episodeId],
      ]);
    expect(n).toBe(0);

    const anonymous = await request(police.url).post('/missing-episodes').send(episode());
    expect(anonymous.status).toBe(401);
    const mailboxUser = await request(police.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${await mailboxToken(POLICE_MAILBOX)}`)
      .send(episode());
    expect(mailboxUser.status).toBe(403);
    const unknown = await request(police.url)
      .get(`/missing-episodes/${randomUUID()}`)
      .set('Authorization', `Bearer ${policeSystem}`);
    expect(unknown.status).toBe(404);
  });

  let followed: { report: Episode; found: ReturnType<typeof found>; messageIds: string[] };

  it('a high-risk episode from care, missing then found: the school, the MASH and health each hold one item, updated to found, with only their fields', async () => {
    const missing = episode();
    const first = await report(missing);
    expect(first).toEqual({
      episodeId: missing.episodeId,
      messageId: expect.any(String),
      reportNumber: 1,
    });
    await untilRecipients(missing.episodeId, first.messageId, {
      [schoolMailbox]: 'delivered',
      [MASH]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
    });

    const [schoolItem] = await itemsFor(education, schoolMailbox, missing.episodeId);
    expect(schoolItem).toMatchObject({ status: 'received', updated: false, reports: 1 });
    await acknowledge(education, schoolMailbox, schoolItem.messageId);
    await untilRecipients(missing.episodeId, first.messageId, { [schoolMailbox]: 'acknowledged' });

    const nowFound = found(missing);
    const second = await report(nowFound);
    expect(second.reportNumber).toBe(2);
    const status = await untilRecipients(missing.episodeId, second.messageId, {
      [schoolMailbox]: 'delivered',
      [MASH]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
    });
    expect(status).toMatchObject({
      status: 'found',
      reports: [
        { messageId: first.messageId, reportNumber: 1, status: 'routed' },
        { messageId: second.messageId, reportNumber: 2, status: 'routed' },
      ],
      returnHomeInterview: {
        dueAt: new Date(Date.parse(nowFound.foundAt) + 72 * 3_600_000).toISOString(),
        overdueAt: null,
        outcome: null,
      },
    });

    const deliveries = await deliveriesOf(second.messageId);
    expect(Object.keys(deliveries).sort()).toEqual([MASH, SCHOOL_NURSING, schoolMailbox].sort());
    const expectSchoolOrHealthView = (view: Record<string, unknown>, mailbox: string) => {
      expect(Object.keys(view).sort()).toEqual(SCHOOL_AND_HEALTH_FIELDS.concat('foundAt').sort());
      expect(view).toEqual({
        recipientMailboxId: mailbox,
        acknowledgeBy: expect.any(String),
        episodeId: missing.episodeId,
        reportNumber: 2,
        reporterReference: missing.reporterReference,
        kind: 'from-care',
        child: { name: missing.child.name, dateOfBirth: missing.child.dateOfBirth },
        status: 'found',
        startedAt: missing.startedAt,
        foundAt: nowFound.foundAt,
        riskGrading: 'high',
        exploitationIndicators: ['county-lines', 'child-criminal-exploitation'],
        episodesInLast90Days: 3,
      });
    };
    for (const [service, mailbox] of [
      [education, schoolMailbox],
      [health, SCHOOL_NURSING],
      [socialCare, MASH],
    ] as const) {
      const items = await itemsFor(service, mailbox, missing.episodeId);
      // One item per episode and mailbox, carrying the latest report, unacknowledged again.
      expect(items).toHaveLength(1);
      const [item] = items;
      expect(item).toMatchObject({
        messageId: deliveries[mailbox],
        status: 'received',
        updated: true,
        reports: 2,
      });
      if (mailbox === MASH) {
        // The MASH sees the whole report.
        expect(item.notification).toEqual({
          ...nowFound,
          recipientMailboxId: MASH,
          acknowledgeBy: expect.any(String),
          reportNumber: 2,
        });
      } else {
        expectSchoolOrHealthView(item.notification, mailbox);
        expect(JSON.stringify(item.notification)).not.toMatch(
          /circumstances|children’s home|consent|lawfulBasis|familyInformed|schoolUrn|reporterMailboxId/,
        );
      }
    }

    // The earlier deliveries' acknowledgement deadlines are closed (the school's was met), the
    // later ones open, and the MASH's found report carries the interview deadline.
    const earlier = await deliveriesOf(first.messageId);
    const stateOf = async (deliveryId: string, kind = 'acknowledgement') => {
      const [row] = await hubDb.query(
        'SELECT state, due_at FROM deadline WHERE delivery_id = $1 AND kind = $2',
        [deliveryId, kind],
      );
      return row as { state: string; due_at: Date } | undefined;
    };
    expect((await stateOf(earlier[schoolMailbox]))?.state).toBe('met');
    expect((await stateOf(earlier[MASH]))?.state).toBe('superseded');
    expect((await stateOf(earlier[SCHOOL_NURSING]))?.state).toBe('superseded');
    for (const id of Object.values(deliveries)) expect((await stateOf(id))?.state).toBe('open');
    const interview = await stateOf(deliveries[MASH], 'return-home-interview');
    expect(interview?.state).toBe('open');
    expect(new Date(interview!.due_at).toISOString()).toBe(status.returnHomeInterview.dueAt);
    expect(await stateOf(deliveries[schoolMailbox], 'return-home-interview')).toBeUndefined();
    const superseded = await eventually(async () => {
      const events = auditReader.records
        .map((record) => auditEventOf(record.value))
        .filter(
          (event) => event.action === 'superseded' && event.correlationId === second.messageId,
        );
      return events.length === 2 ? events : undefined;
    });
    expect(superseded.map((event) => event.messageId).sort()).toEqual(
      [earlier[MASH], earlier[SCHOOL_NURSING]].sort(),
    );

    // The police node's own tables hold no name or date of birth.
    const policeDb = police.app.get(DataSource);
    for (const table of [
      'missing_episode',
      'missing_episode_report',
      'missing_episode_recipient',
    ]) {
      expectNoPersonalData(JSON.stringify(await policeDb.query(`SELECT * FROM ${table}`)));
    }
    followed = {
      report: missing,
      found: nowFound,
      messageIds: [first.messageId, second.messageId],
    };
  });

  it("records the return home interview's outcome once, from the mailbox that received the episode; it meets the deadline and reaches the reporter without the child's own account", async () => {
    const { episodeId } = followed.report;
    const outcome = {
      outcome: 'held',
      heldAt: new Date().toISOString(),
      conductedBy: { by: 'commissioned-provider', providerName: 'Northshire Return Interviews' },
      exploitationDisclosed: ['county-lines'],
      concerns: 'Pressured to carry packages by older youths',
      childsAccount: 'They said I owed them money',
      nextSteps: 'Strategy discussion; referral to the exploitation panel',
      lawfulBasis: 'dpa2018-sch1-para18',
    };
    const as = async (token: string, body: object, id = episodeId) =>
      request(socialCare.url)
        .post(`/missing-episodes/${id}/return-home-interview`)
        .set('Authorization', `Bearer ${token}`)
        .send(body);

    const invalid = await as(socialCareSystem, {
      ...outcome,
      heldAt: undefined,
      conductedBy: { by: 'commissioned-provider' },
      exploitationDisclosed: ['gangs'],
    });
    expect(invalid.status).toBe(400);
    for (const field of ['heldAt', 'conductedBy.providerName', 'exploitationDisclosed']) {
      expect(JSON.stringify(invalid.body.message)).toContain(field);
    }
    // A user of another mailbox, and an episode this node never received: the same 404.
    expect((await as(await mailboxToken(SOCIAL_CARE_ESCALATION), outcome)).status).toBe(404);
    expect((await as(socialCareSystem, outcome, randomUUID())).status).toBe(404);
    // The police node records no interviews.
    const atPolice = await request(police.url)
      .post(`/missing-episodes/${episodeId}/return-home-interview`)
      .set('Authorization', `Bearer ${policeSystem}`)
      .send(outcome);
    expect(atPolice.status).toBe(404);

    const recorded = await as(await mailboxToken(MASH, 'rhi-coordinator'), outcome);
    expect(recorded.status).toBe(202);
    expect(recorded.body).toEqual({
      episodeId,
      messageId: expect.any(String),
      outcome: 'held',
      recordedAt: expect.any(String),
    });
    const again = await as(socialCareSystem, { ...outcome, nextSteps: 'Changed our mind' });
    expect(again.status).toBe(409);

    const status = await eventually(
      async () => {
        const current = await statusOf(episodeId);
        return current.returnHomeInterview.outcome ? current : undefined;
      },
      { what: 'the outcome at the police node', timeoutMs: 60_000 },
    );
    expect(status.returnHomeInterview).toMatchObject({
      mailboxId: MASH,
      overdueAt: null,
      receivedAt: expect.any(String),
    });
    expect(status.returnHomeInterview.outcome).toEqual({
      recipientMailboxId: POLICE_MAILBOX,
      episodeId,
      fromMailboxId: MASH,
      outcome: 'held',
      heldAt: outcome.heldAt,
      conductedBy: outcome.conductedBy,
      exploitationDisclosed: ['county-lines'],
      concerns: outcome.concerns,
      nextSteps: outcome.nextSteps,
      recordedAt: recorded.body.recordedAt,
    });
    expect(status.recipients.find((r) => r.mailboxId === MASH)?.status).toBe(
      'return-home-interview-received',
    );
    // It is in the reporter's mailbox too, for the people who follow the episode.
    const policeToken = await mailboxToken(POLICE_MAILBOX);
    const list = await request(police.url)
      .get(`/mailboxes/${POLICE_MAILBOX}/notifications`)
      .set('Authorization', `Bearer ${policeToken}`);
    expect(
      (list.body as { messageId: string; type: string }[]).some(
        (item) => item.type === RHI_VIEW_TYPE && item.messageId,
      ),
    ).toBe(true);

    const [deadline] = await hubDb.query(
      `SELECT d.state FROM deadline d JOIN missing_episode e ON e.rhi_delivery_id = d.delivery_id
        WHERE e.episode_id = $1 AND d.kind = 'return-home-interview'`,
      [episodeId],
    );
    expect(deadline.state).toBe('met');
    const [row] = await hubDb.query(
      'SELECT rhi_outcome, reporter_mailbox FROM missing_episode WHERE episode_id = $1',
      [episodeId],
    );
    expect(row).toEqual({ rhi_outcome: 'held', reporter_mailbox: POLICE_MAILBOX });

    // Past the node's API: a second outcome, one from another node, and one naming an episode
    // the MASH never received are each refused by the hub and quarantined with their code.
    const second = await publishOutcome('social-care', episodeId);
    const foreign = await publishOutcome('police', episodeId);
    const unknown = await publishOutcome('social-care', randomUUID());
    expect((await quarantined(second)).headers?.sgx_refusal_code?.toString()).toBe('REPLAYED');
    expect((await quarantined(foreign)).headers?.sgx_refusal_code?.toString()).toBe(
      'UNKNOWN_MESSAGE',
    );
    expect((await quarantined(unknown)).headers?.sgx_refusal_code?.toString()).toBe(
      'UNKNOWN_MESSAGE',
    );
    const [{ n }] = await hubDb.query(
      `SELECT count(*)::int AS n FROM delivery WHERE submission_id = ANY($1)`,
      [[second, foreign, unknown]],
    );
    expect(n).toBe(0);
  });

  it('does not deliver a low-risk episode to health; the reporter sees sharing-refused for health', async () => {
    const low = episode({ riskGrading: 'low', exploitationIndicators: [] });
    const { messageId } = await report(low);
    const status = await untilRecipients(low.episodeId, messageId, {
      [schoolMailbox]: 'delivered',
      [MASH]: 'delivered',
      [SCHOOL_NURSING]: 'sharing-refused',
    });
    expect(status.recipients.find((r) => r.mailboxId === SCHOOL_NURSING)).toMatchObject({
      sharingRefusal: {
        ruleId: 'default-refuse',
        policyVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}\.\d+$/),
        reason: expect.any(String),
      },
    });
    expect(Object.keys(await deliveriesOf(messageId)).sort()).toEqual([MASH, schoolMailbox].sort());
    expect(await itemsFor(health, SCHOOL_NURSING, low.episodeId)).toEqual([]);
    const [school] = await itemsFor(education, schoolMailbox, low.episodeId);
    expect(school.notification.riskGrading).toBe('low');
  });

  it('sends a child under five to health visiting, and names an unknown school in a rejection while the others are delivered', async () => {
    const toddler = episode({
      child: {
        name: `Child ${randomUUID().slice(0, 8)} Small`,
        dateOfBirth: '2023-02-14',
        schoolUrn: '1000000',
      },
    });
    names.push(toddler.child.name);
    const { messageId } = await report(toddler);
    const status = await untilRecipients(toddler.episodeId, messageId, {
      [MASH]: 'delivered',
      'health-visiting': 'delivered',
      '1000000': 'rejected',
    });
    expect(status.recipients.find((r) => r.mailboxId === '1000000')).toMatchObject({
      rejection: {
        code: 'RECIPIENT_UNKNOWN',
        reason: 'no school with this URN is in the registry',
      },
    });
    expect(status.recipients.map((r) => r.mailboxId)).not.toContain(SCHOOL_NURSING);
    expect(Object.keys(await deliveriesOf(messageId)).sort()).toEqual(
      ['health-visiting', MASH].sort(),
    );
    const [item] = await itemsFor(health, 'health-visiting', toddler.episodeId);
    expect(item.notification).toMatchObject({
      recipientMailboxId: 'health-visiting',
      child: { name: toddler.child.name, dateOfBirth: '2023-02-14' },
    });
  });

  it('refuses every recipient when there is neither consent nor a justification', async () => {
    const unjustified = episode({ safeguardingJustification: undefined });
    const { messageId } = await report(unjustified);
    const status = await untilRecipients(unjustified.episodeId, messageId, {
      [schoolMailbox]: 'sharing-refused',
      [MASH]: 'sharing-refused',
      [SCHOOL_NURSING]: 'sharing-refused',
    });
    for (const recipient of status.recipients) {
      expect(recipient.sharingRefusal?.ruleId).toBe('no-consent-no-justification');
    }
    expect(await deliveriesOf(messageId)).toEqual({});
    for (const [service, mailbox] of [
      [education, schoolMailbox],
      [health, SCHOOL_NURSING],
      [socialCare, MASH],
    ] as const) {
      expect(await itemsFor(service, mailbox, unjustified.episodeId)).toEqual([]);
    }
    // A found report cannot be followed by a missing one under the same episode id.
    const back = await request(police.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${policeSystem}`)
      .send(found(unjustified));
    expect(back.status).toBe(202);
    const missingAgain = await request(police.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${policeSystem}`)
      .send(unjustified);
    expect(missingAgain.status).toBe(409);
  });

  it("sends social care's own report to the school and health but not its own MASH, and refuses a report under another node's episode id", async () => {
    const own = episode({
      reporterMailboxId: MASH,
      consent: { position: 'given', by: 'Carer', at: new Date().toISOString() },
      safeguardingJustification: undefined,
      lawfulBasis: 'dpa2018-sch1-para18',
    });
    const { messageId } = await report(own, socialCare, socialCareSystem);
    await untilRecipients(
      own.episodeId,
      messageId,
      { [schoolMailbox]: 'delivered', [SCHOOL_NURSING]: 'delivered' },
      socialCare,
      socialCareSystem,
    );
    expect(Object.keys(await deliveriesOf(messageId)).sort()).toEqual(
      [SCHOOL_NURSING, schoolMailbox].sort(),
    );
    expect(await itemsFor(socialCare, MASH, own.episodeId)).toEqual([]);

    // The police episode's id, used by social care: refused as a whole.
    const hijack = await report(
      { ...own, episodeId: followed.report.episodeId },
      socialCare,
      socialCareSystem,
    );
    const refused = await eventually(
      async () => {
        const current = await statusOf(followed.report.episodeId, socialCare, socialCareSystem);
        const [only] = current.reports;
        return only?.status === 'rejected' ? only : undefined;
      },
      { what: 'the EPISODE_CONFLICT rejection', timeoutMs: 60_000 },
    );
    expect(refused).toMatchObject({
      messageId: hijack.messageId,
      rejection: { code: 'EPISODE_CONFLICT' },
    });
    expect(await deliveriesOf(hijack.messageId)).toEqual({});
    expect(await itemsFor(education, schoolMailbox, followed.report.episodeId)).toHaveLength(1);
  });

  it('has no second effect when a submission or a delivery is delivered again', async () => {
    const [, secondReport] = followed.messageIds;
    const metric = async (service: RunningService, topic: string) => {
      const metrics = (await request(service.url).get('/metrics')).text;
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('sgx_kafka_records_total') && l.includes(topic) && l.includes('handled'),
        );
      return Number(line?.split(' ').pop() ?? 0);
    };
    const republish = async (
      service: RunningService,
      topic: string,
      record: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
    ) => {
      const before = await metric(service, topic);
      await publishAsTest(topic, [
        {
          key: record.key!.toString(),
          value: record.value!.toString(),
          headers: Object.fromEntries(
            Object.entries(record.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        },
      ]);
      await eventually(async () => ((await metric(service, topic)) > before ? true : undefined), {
        what: `the copy on ${topic} to be handled`,
      });
    };

    const deliveriesBefore = await deliveriesOf(secondReport);
    const submission = submissionsReader.find(
      (record) => record.headers?.ce_id?.toString() === secondReport,
    );
    expect(submission).toBeDefined();
    await republish(hub, Topics.submissions, submission!);
    expect(await deliveriesOf(secondReport)).toEqual(deliveriesBefore);

    const educationReader = readers[4];
    const delivery = educationReader.find(
      (record) => record.headers?.ce_id?.toString() === deliveriesBefore[schoolMailbox],
    );
    expect(delivery).toBeDefined();
    const educationDb = education.app.get(DataSource);
    const [{ n: before }] = await educationDb.query(
      'SELECT count(*)::int AS n FROM inbox_message WHERE thread_key = $1',
      [`missing-episode:${followed.report.episodeId}`],
    );
    await republish(education, deliveryTopic('education'), delivery!);
    const [{ n: after }] = await educationDb.query(
      'SELECT count(*)::int AS n FROM inbox_message WHERE thread_key = $1',
      [`missing-episode:${followed.report.episodeId}`],
    );
    expect(after).toBe(before);
    const items = await itemsFor(education, schoolMailbox, followed.report.episodeId);
    expect(items).toHaveLength(1);
    expect(items[0].messageId).toBe(deliveriesBefore[schoolMailbox]);
  });

  it('never carries a name or a date of birth in plaintext on a submission, receipt or delivery topic', async () => {
    expect(submissionsReader.records.length).toBeGreaterThan(0);
    for (const record of readers.flatMap((reader) => reader.records)) {
      expectNoPersonalData(
        [
          record.key?.toString() ?? '',
          record.value?.toString() ?? '',
          ...Object.values(record.headers ?? {}).map(String),
        ].join('\n'),
      );
    }
    const outbox: { value: string | null }[] = await police.app
      .get(DataSource)
      .query('SELECT value FROM outbox');
    for (const row of outbox) expectNoPersonalData(row.value ?? '');
  });

  it("escalates a report the school has not acknowledged by the next school day, once, to the reporter's mailbox and education's escalation mailbox", async () => {
    await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
      ('education-escalation', 'education', 'escalation', 'Education escalation', NULL)
      ON CONFLICT DO NOTHING`);
    const missing = episode({ riskGrading: 'medium' });
    const { messageId } = await report(missing);
    await untilRecipients(missing.episodeId, messageId, {
      [schoolMailbox]: 'delivered',
      [MASH]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
    });
    // Health and the MASH acknowledge; the school does not.
    for (const [service, mailbox] of [
      [health, SCHOOL_NURSING],
      [socialCare, MASH],
    ] as const) {
      const [item] = await itemsFor(service, mailbox, missing.episodeId);
      await acknowledge(service, mailbox, item.messageId);
    }
    const schoolDelivery = (await deliveriesOf(messageId))[schoolMailbox];
    const [deadline] = await hubDb.query(
      `SELECT due_at FROM deadline WHERE delivery_id = $1 AND kind = 'acknowledgement'`,
      [schoolDelivery],
    );

    const clock = hub.app.get(Clock);
    const spy = jest
      .spyOn(clock, 'now')
      .mockReturnValue(new Date(new Date(deadline.due_at).getTime() + 60_000));
    try {
      const status = await untilRecipients(missing.episodeId, messageId, {
        [schoolMailbox]: 'overdue',
        [MASH]: 'acknowledged',
        [SCHOOL_NURSING]: 'acknowledged',
      });
      expect(status.recipients.find((r) => r.mailboxId === schoolMailbox)?.status).toBe('overdue');
      const token = await mailboxToken('education-escalation', 'education-duty-manager');
      const escalationsInEducation = async () => {
        const list = await request(education.url)
          .get('/mailboxes/education-escalation/notifications')
          .set('Authorization', `Bearer ${token}`);
        const found = [];
        for (const item of list.body as { messageId: string }[]) {
          const read = await request(education.url)
            .get(`/mailboxes/education-escalation/notifications/${item.messageId}`)
            .set('Authorization', `Bearer ${token}`);
          if (read.status !== 200) continue;
          if (read.body.notification?.messageId === schoolDelivery) {
            found.push(read.body.notification);
          }
        }
        return found;
      };
      const [escalation] = await eventually(
        async () => {
          const found = await escalationsInEducation();
          return found.length > 0 ? found : undefined;
        },
        { what: "the escalation in education's escalation mailbox", timeoutMs: 60_000 },
      );
      expect(escalation).toMatchObject({
        overdueMailboxId: schoolMailbox,
        deadlineKind: 'acknowledgement',
        recipientMailboxId: 'education-escalation',
        dueAt: new Date(deadline.due_at).toISOString(),
      });
      await hub.app.get(DeadlineEscalationJob).run();
      expect(await escalationsInEducation()).toHaveLength(1);
      const [subject] = await police.app
        .get(DataSource)
        .query('SELECT subject_ref FROM missing_episode WHERE episode_id = $1', [
          missing.episodeId,
        ]);
      const toReporter = await police.app
        .get(DataSource)
        .query(`SELECT mailbox_id FROM inbox_message WHERE type = $1 AND subject_ref = $2`, [
          'uk.safeguarding.exchange.escalation',
          subject.subject_ref,
        ]);
      expect(toReporter).toEqual([{ mailbox_id: POLICE_MAILBOX }]);
      const states: { state: string }[] = await hubDb.query(
        `SELECT state FROM deadline WHERE delivery_id = $1 AND kind = 'acknowledgement'`,
        [schoolDelivery],
      );
      expect(states).toEqual([{ state: 'escalated' }]);
    } finally {
      spy.mockRestore();
    }
  });

  it('escalates an overdue return home interview once, to the reporter and to the social care escalation mailbox', async () => {
    const missing = episode({ riskGrading: 'medium' });
    const nowFound = found(missing);
    const { messageId } = await report(nowFound);
    await untilRecipients(missing.episodeId, messageId, {
      [schoolMailbox]: 'delivered',
      [MASH]: 'delivered',
      [SCHOOL_NURSING]: 'delivered',
    });
    // Every mailbox acknowledges, so only the interview can fall due.
    for (const [service, mailbox] of [
      [education, schoolMailbox],
      [health, SCHOOL_NURSING],
      [socialCare, MASH],
    ] as const) {
      const [item] = await itemsFor(service, mailbox, missing.episodeId);
      await acknowledge(service, mailbox, item.messageId);
    }
    await untilRecipients(missing.episodeId, messageId, {
      [schoolMailbox]: 'acknowledged',
      [MASH]: 'acknowledged',
      [SCHOOL_NURSING]: 'acknowledged',
    });
    const mashDelivery = (await deliveriesOf(messageId))[MASH];
    const [interview] = await hubDb.query(
      `SELECT due_at FROM deadline WHERE delivery_id = $1 AND kind = 'return-home-interview'`,
      [mashDelivery],
    );
    expect(new Date(interview.due_at).getTime()).toBe(
      Date.parse(nowFound.foundAt) + 72 * 3_600_000,
    );

    const clock = hub.app.get(Clock);
    const spy = jest
      .spyOn(clock, 'now')
      .mockReturnValue(new Date(new Date(interview.due_at).getTime() + 60_000));
    try {
      const overdue = await eventually(
        async () => {
          const current = await statusOf(missing.episodeId);
          return current.returnHomeInterview.overdueAt ? current : undefined;
        },
        { what: 'the overdue interview at the police node', timeoutMs: 60_000 },
      );
      expect(overdue.returnHomeInterview).toMatchObject({ mailboxId: MASH, outcome: null });
      expect(overdue.recipients.find((r) => r.mailboxId === MASH)?.status).toBe('overdue');

      const escalationToken = await mailboxToken(SOCIAL_CARE_ESCALATION, 'mash-manager');
      const escalationsFor = async () => {
        const list = await request(socialCare.url)
          .get(`/mailboxes/${SOCIAL_CARE_ESCALATION}/notifications`)
          .set('Authorization', `Bearer ${escalationToken}`);
        const found = [];
        for (const item of list.body as { messageId: string }[]) {
          const read = await request(socialCare.url)
            .get(`/mailboxes/${SOCIAL_CARE_ESCALATION}/notifications/${item.messageId}`)
            .set('Authorization', `Bearer ${escalationToken}`);
          if (read.status !== 200) continue;
          if (read.body.notification?.messageId === mashDelivery)
            found.push(read.body.notification);
        }
        return found;
      };
      const [escalation] = await eventually(
        async () => {
          const found = await escalationsFor();
          return found.length > 0 ? found : undefined;
        },
        { what: 'the escalation in the social care escalation mailbox', timeoutMs: 60_000 },
      );
      expect(escalation).toMatchObject({
        overdueMailboxId: MASH,
        deadlineKind: 'return-home-interview',
        recipientMailboxId: SOCIAL_CARE_ESCALATION,
        dueAt: new Date(interview.due_at).toISOString(),
      });

      // Another pass escalates nothing again: one copy each, the deadline escalated once.
      await hub.app.get(DeadlineEscalationJob).run();
      await hub.app.get(DeadlineEscalationJob).run();
      expect(await escalationsFor()).toHaveLength(1);
      const [subject] = await police.app
        .get(DataSource)
        .query('SELECT subject_ref FROM missing_episode WHERE episode_id = $1', [
          missing.episodeId,
        ]);
      const toReporter = await police.app
        .get(DataSource)
        .query(
          `SELECT message_id, mailbox_id FROM inbox_message WHERE type = $1 AND subject_ref = $2`,
          ['uk.safeguarding.exchange.escalation', subject.subject_ref],
        );
      expect(toReporter).toHaveLength(1);
      // Filed in the reporter's mailbox: its users see it in their inbox and read what is late.
      expect(toReporter[0].mailbox_id).toBe(POLICE_MAILBOX);
      const reporterToken = await mailboxToken(POLICE_MAILBOX);
      const inbox = await request(police.url)
        .get(`/mailboxes/${POLICE_MAILBOX}/notifications`)
        .set('Authorization', `Bearer ${reporterToken}`);
      expect(inbox.status).toBe(200);
      expect(inbox.body).toContainEqual(
        expect.objectContaining({
          messageId: toReporter[0].message_id,
          type: 'uk.safeguarding.exchange.escalation',
        }),
      );
      const inReporterMailbox = await request(police.url)
        .get(`/mailboxes/${POLICE_MAILBOX}/notifications/${toReporter[0].message_id}`)
        .set('Authorization', `Bearer ${reporterToken}`);
      expect(inReporterMailbox.status).toBe(200);
      expect(inReporterMailbox.body.notification).toEqual({
        messageId,
        overdueMailboxId: MASH,
        dueAt: new Date(interview.due_at).toISOString(),
        escalatedAt: expect.any(String),
        deadlineKind: 'return-home-interview',
        recipientMailboxId: POLICE_MAILBOX,
      });
      const states: { kind: string; state: string }[] = await hubDb.query(
        'SELECT kind, state FROM deadline WHERE delivery_id = $1 ORDER BY kind',
        [mashDelivery],
      );
      expect(states).toEqual([
        { kind: 'acknowledgement', state: 'met' },
        { kind: 'return-home-interview', state: 'escalated' },
      ]);
      const audits = auditReader.records
        .map((record) => auditEventOf(record.value))
        .filter((event) => event.action === 'escalated' && event.messageId === mashDelivery);
      expect(audits).toHaveLength(1);
      expect(audits[0].detail).toMatch(/^return-home-interview overdue/);
    } finally {
      spy.mockRestore();
    }
  });
});
