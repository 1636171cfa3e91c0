/**
 * A whole MARAC case through the exchange, end to end. Real: the Kafka broker, PostgreSQL, the
 * hub, the MARAC node and the four agency nodes (police, health, education, social care) as Nest
 * apps with their Kafka transport, keys in a temporary KEYS_DIR, bearer tokens from a test issuer
 * over HTTP. Faked: only the MARAC's business clock (its injected Clock, set by the test, and its
 * deadline job run by calling tick as its interval would); envelopes carry real times.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  deliveryTopic,
  envelopeKafkaRecord,
  MARAC_ACTION_UPDATE,
  MARAC_INFORMATION_RESPONSE,
  MARAC_REFERRAL,
  MARAC_REFERRAL_DECISION,
  MessageTypeDefinition,
  Topics,
} from '@app/contracts';
import { encryptEnvelope, loadNodeKeyring, signEnvelope } from '@app/crypto';
import { JWK } from 'jose';
import { KafkaMessage } from 'kafkajs';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { Clock as MaracClock } from '../../apps/marac/src/clock/clock';
import { DeadlineEscalationJob } from '../../apps/marac/src/deadlines/deadline-escalation.job';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { auditEventOf } from '../support/audit-signing';
import { publishAsTest } from '../support/test-kafka';
import { RawTopicReader } from '../support/raw-topic-reader';
import { registerNodeKeys } from '../support/registry-fixtures';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(300_000);

const NODES = ['hub', 'police', 'health', 'education', 'social-care', 'marac'] as const;
type MemberNode = 'police' | 'health' | 'education' | 'social-care';

/** The demo area's mailboxes the MARAC writes to, and the node each lives on. */
const MAILBOX_NODE: Record<string, MemberNode> = {
  'police-safeguarding-hub': 'police',
  'police-escalation': 'police',
  'health-visiting': 'health',
  'health-escalation': 'health',
  mash: 'social-care',
  'social-care-escalation': 'social-care',
  'school-990101-dsl': 'education',
  'school-990102-dsl': 'education',
  'education-escalation': 'education',
};

const dash = (yes: number) =>
  Array.from({ length: 24 }, (_, index) => (index < yes ? 'yes' : 'no'));

interface Notification {
  messageId: string;
  type: string;
  notification: Record<string, unknown>;
}

describe('MARAC case through the hub: referral to repeat, end to end', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-marac-keys-'));
  let hub: RunningService;
  let marac: RunningService;
  const nodes = {} as Record<MemberNode, RunningService>;
  let hubDb: DataSource;
  let maracDb: DataSource;
  let clock: MaracClock;
  let coordinator: string;

  const victimRef = `V-${randomUUID()}`;
  const perpetratorRef = `P-${randomUUID()}`;
  const children = {
    c1: `C-${randomUUID()}`,
    c2: `C-${randomUUID()}`,
    c3: `C-${randomUUID()}`,
    c4: `C-${randomUUID()}`,
  };
  /** Free text that must never travel or be logged in clear. */
  const secrets = {
    policeFacts: `Police <script>alert(1)</script> log ${randomUUID()}`,
    opinion: `Victim appears isolated ${randomUUID()}`,
    risks: `Threats to kill recorded on 1 March ${randomUUID()}`,
    action: `Flag the address for a priority response ${randomUUID()}`,
  };
  let referralId: string;
  let caseId: string;
  const requestIds: Record<string, string> = {};

  const readerTopics = [
    Topics.submissions,
    Topics.receipts,
    Topics.auditEvents,
    ...NODES.filter((node) => node !== 'hub').map((node) => deliveryTopic(node)),
  ];
  const readers = readerTopics.map((topic) => new RawTopicReader(topic));

  const at = (iso: string) => clock.setForTest(new Date(iso));
  const nodeOf = (mailbox: string) => nodes[MAILBOX_NODE[mailbox]];
  const systemToken = (agency: string) =>
    issuer.token({ roles: ['agency-system'], agency, subject: `${agency}-system` });
  const mailboxToken = (mailbox: string) =>
    issuer.token({ roles: ['mailbox-user'], mailboxes: [mailbox], subject: `${mailbox}-user` });

  function referral(overrides: object = {}) {
    return {
      referringAgencyId: 'northshire-police',
      // Where the police hear what the MARAC decided.
      referrerMailboxId: 'police-safeguarding-hub',
      victimRef,
      perpetratorRef,
      children: [
        { subjectRef: children.c1, schoolUrn: '990101' },
        { subjectRef: children.c2, schoolUrn: '990102' },
        { subjectRef: children.c3, schoolUrn: '990101' },
        { subjectRef: children.c4 },
      ],
      criterion: 'visible-high-risk',
      dashAnswers: dash(15),
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch8-para4',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
      ...overrides,
    };
  }

  async function refer(node: RunningService, agency: string, body: object) {
    return request(node.url)
      .post('/marac/referrals')
      .set('Authorization', `Bearer ${await systemToken(agency)}`)
      .send(body);
  }

  const research = (facts = 'Known to us since 2024.') => ({
    victimInvolvement: { facts, opinion: secrets.opinion },
    perpetratorInvolvement: { facts: 'Two call-outs recorded.' },
    childrenInvolvement: [{ subjectRef: children.c1, facts: 'Attendance fell in February.' }],
    knownRisks: { facts: secrets.risks, opinion: 'Escalating.' },
    currentActions: 'Safety planning with the victim.',
    contact: 'Safeguarding team, secure email via the exchange',
  });

  /** What a member mailbox's node knows of its MARAC work. */
  async function workOf(mailbox: string) {
    const response = await request(nodeOf(mailbox).url)
      .get(`/mailboxes/${mailbox}/marac`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox)}`);
    expect(response.status).toBe(200);
    return response.body as {
      requests: { requestId: string; caseId: string; messageId: string; answered: boolean }[];
      actions: { actionId: string; caseId: string; messageId: string; state: string }[];
    };
  }

  async function read(mailbox: string, messageId: string): Promise<Notification> {
    const response = await request(nodeOf(mailbox).url)
      .get(`/mailboxes/${mailbox}/notifications/${messageId}`)
      .set('Authorization', `Bearer ${await mailboxToken(mailbox)}`);
    expect(response.status).toBe(200);
    return response.body as Notification;
  }

  /** The case's request as the mailbox received it, once it has arrived. */
  const requestIn = (mailbox: string, forCase = caseId) =>
    eventually(
      async () => (await workOf(mailbox)).requests.find((item) => item.caseId === forCase),
      { what: `the MARAC request in ${mailbox}`, timeoutMs: 60_000 },
    );

  async function pack() {
    const response = await request(marac.url)
      .get(`/cases/${caseId}/pack`)
      .set('Authorization', `Bearer ${coordinator}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function outgoing(forCase = caseId) {
    const response = await request(marac.url)
      .get(`/cases/${forCase}/outgoing`)
      .set('Authorization', `Bearer ${coordinator}`);
    expect(response.status).toBe(200);
    return response.body as {
      messageId: string;
      kind: string;
      recipientMailboxId: string;
      state: string;
      refusal: { code: string; reason: string } | null;
      body: Record<string, unknown>;
    }[];
  }

  interface ReferralStatus {
    refId: string;
    status: string;
    deliveredAt: string | null;
    referrerMailboxId: string | null;
    listing: { caseId: string; meetingDate: string; meetingAt: string | null } | null;
    refusal: { by: string; code: string; reason: string } | null;
    decisionMessageId: string | null;
  }

  /** A referral as the referring agency's system sees it, once the probe holds. */
  const referralStatus = (
    node: RunningService,
    agency: string,
    id: string,
    holds: (found: ReferralStatus) => boolean,
    what: string,
  ) =>
    eventually(
      async () => {
        const sent = await request(node.url)
          .get('/marac/referrals')
          .set('Authorization', `Bearer ${await systemToken(agency)}`);
        const found = (sent.body as ReferralStatus[]).find((item) => item.refId === id);
        return found && holds(found) ? found : undefined;
      },
      { what, timeoutMs: 60_000 },
    );

  /** The MARAC's case for a referral, once the referral has reached it and been listed. */
  const caseOf = (id: string) =>
    eventually(
      async () => {
        const [row] = (await maracDb.query(
          'SELECT id, repeat, previous_case_id FROM marac_case WHERE referral_id = $1',
          [id],
        )) as { id: string; repeat: boolean; previous_case_id: string | null }[];
        return row;
      },
      { what: 'the referral listed as a MARAC case', timeoutMs: 60_000 },
    );

  /** Every record the test saw on the exchange's topics, as an eavesdropper would. */
  const rawRecords = (topics?: string[]): { topic: string; record: KafkaMessage }[] =>
    readers.flatMap((reader, index) =>
      !topics || topics.includes(readerTopics[index])
        ? reader.records.map((record) => ({ topic: readerTopics[index], record }))
        : [],
    );

  /**
   * A message signed with a node's own key and encrypted to the hub, published straight to the
   * submissions topic: what a node that skipped its own API's checks would send.
   */
  async function submitAs<B extends object>(
    nodeId: string,
    definition: MessageTypeDefinition<B>,
    body: B,
    { subjectRef = caseId, jti = randomUUID() } = {},
  ): Promise<string> {
    const ring = await loadNodeKeyring(keysDir, nodeId);
    const claims = {
      iss: nodeId,
      sub: subjectRef,
      jti,
      type: definition.type,
      version: definition.version,
    };
    const jws = await signEnvelope({ ...claims, body }, ring.signing);
    const iat = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()).iat as number;
    const set = (await (await fetch(process.env.HUB_JWKS_URL!)).json()) as { keys: JWK[] };
    const jwe = await encryptEnvelope(
      jws,
      set.keys.find((key) => key.use === 'enc')!,
    );
    await publishAsTest(Topics.submissions, [envelopeKafkaRecord(jwe, { ...claims, iat })]);
    return jti;
  }

  /** The hub's audit of its refusal of a message. */
  const hubRefusalOf = (messageId: string) =>
    eventually(
      async () =>
        rawRecords([Topics.auditEvents])
          .map(({ record }) => auditEventOf(record.value))
          .find(
            (event) =>
              event.actor === 'hub' && event.action === 'rejected' && event.messageId === messageId,
          ),
      { what: `the hub's refusal of ${messageId}`, timeoutMs: 60_000 },
    );

  beforeAll(async () => {
    await issuer.start();
    const hubPort = await freePort();
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`,
      OUTBOX_POLL_INTERVAL_MS: '200',
    });
    hub = await startService(HubModule, hubPort);
    hubDb = hub.app.get(DataSource);
    // The demo area (npm test seeds it: deploy/registry/demo-area.json), its nodes active and
    // the MARAC's members as the registry records them.
    await hubDb.query(`UPDATE node SET status = 'active' WHERE id = ANY($1)`, [[...NODES]]);
    await hubDb.query(
      `INSERT INTO marac_member (marac_agency_id, member_agency_id)
       SELECT 'northshire-marac', unnest($1::varchar[]) ON CONFLICT DO NOTHING`,
      [
        [
          'northshire-police',
          'northshire-community-health',
          'northshire-childrens-social-care',
          'northshire-education',
        ],
      ],
    );
    for (const nodeId of NODES) await registerNodeKeys(hubDb, keysDir, nodeId);
    await Promise.all(readers.map((reader) => reader.start()));
    const [police, health, education, socialCare, maracApp] = await Promise.all([
      startService(PoliceModule),
      startService(HealthModule),
      startService(EducationModule),
      startService(SocialCareModule),
      startService(MaracModule),
    ]);
    Object.assign(nodes, { police, health, education, 'social-care': socialCare });
    marac = maracApp;
    maracDb = marac.app.get(DataSource);
    clock = marac.app.get(MaracClock);
    coordinator = await issuer.token({ roles: ['marac-coordinator'], subject: 'coordinator' });
    // Monday 2 March 2026: the meeting of Thursday 5 March has research due today, so the next.
    at('2026-03-02T09:00:00Z');
  });

  afterAll(async () => {
    clock?.setForTest(null);
    await Promise.all(readers.map((reader) => reader.stop()));
    await Promise.all([hub, marac, ...Object.values(nodes)].map((service) => service?.app.close()));
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('refuses on the police node, before anything is signed, a referral that breaks the DASH or criterion rules, and a system speaking for another agency', async () => {
    const weak = await refer(
      nodes.police,
      'northshire-police',
      referral({ dashAnswers: dash(13) }),
    );
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({
      statusCode: 400,
      error: 'CRITERION_NOT_MET',
      message: [
        'dashAnswers: visible-high-risk needs 14 or more yes answers; the DASH total is 13',
      ],
    });
    const named = await refer(
      nodes.police,
      'northshire-police',
      referral({ victimRef: 'Jane Smith' }),
    );
    expect(named.status).toBe(400);
    expect(named.body.message).toEqual([
      'victimRef must be a pseudonymous reference (3–100 letters, digits, . _ : -)',
    ]);
    const { referrerMailboxId: _mailbox, ...unaddressed } = referral();
    void _mailbox;
    const noMailbox = await refer(nodes.police, 'northshire-police', unaddressed);
    expect(noMailbox.status).toBe(400);
    expect(noMailbox.body.message).toEqual(['referrerMailboxId must be an agency or mailbox id']);
    const foreign = await refer(nodes.police, 'northshire-community-health', referral());
    expect(foreign.status).toBe(403);
    const mailboxUser = await request(nodes.police.url)
      .post('/marac/referrals')
      .set('Authorization', `Bearer ${await mailboxToken('police-safeguarding-hub')}`)
      .send(referral());
    expect(mailboxUser.status).toBe(403);
    const sent = await request(nodes.police.url)
      .get('/marac/referrals')
      .set('Authorization', `Bearer ${await systemToken('northshire-police')}`);
    expect(sent.status).toBe(200);
    expect(JSON.stringify(sent.body)).not.toContain(victimRef);
  });

  it('the police node refers; the MARAC lists the case for the next meeting and the police see it listed, with the meeting, in their mailbox', async () => {
    const response = await refer(nodes.police, 'northshire-police', referral());
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ dashTotal: 15, dashTotalComputed: true });
    referralId = response.body.referralId;
    caseId = (await caseOf(referralId)).id;

    const detail = await request(marac.url)
      .get(`/cases/${caseId}`)
      .set('Authorization', `Bearer ${coordinator}`);
    expect(detail.body).toMatchObject({
      victimRef,
      referringAgencyId: 'northshire-police',
      dashTotal: 15,
      repeat: false,
      meetingDate: '2026-03-19',
      responsesDueAt: '2026-03-17T00:00:00.000Z',
    });
    // The MARAC's node confirmed the delivery (the hub forwarded its receipt) and told the police
    // its decision: listed for the meeting of 19 March.
    const listed = await referralStatus(
      nodes.police,
      'northshire-police',
      referralId,
      (found) => found.status === 'listed' && found.deliveredAt !== null,
      'the referral delivered to the MARAC and listed',
    );
    expect(listed).toMatchObject({
      referrerMailboxId: 'police-safeguarding-hub',
      listing: { caseId, meetingDate: '2026-03-19', meetingAt: '2026-03-19T10:00:00.000Z' },
      refusal: null,
    });
    // The decision itself is filed in the referrer mailbox's inbox, signed by the hub.
    const decision = await read('police-safeguarding-hub', listed.decisionMessageId!);
    expect(decision.type).toBe('uk.safeguarding.exchange.marac-referral-decision-view');
    expect(decision.notification).toEqual({
      referralId,
      decision: 'listed',
      recipientMailboxId: 'police-safeguarding-hub',
      caseId,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      decidedAt: '2026-03-02T09:00:00.000Z',
    });
    const inbox = await request(nodes.police.url)
      .get('/mailboxes/police-safeguarding-hub/notifications')
      .set('Authorization', `Bearer ${await mailboxToken('police-safeguarding-hub')}`);
    expect((inbox.body as { messageId: string }[]).map((item) => item.messageId)).toContain(
      listed.decisionMessageId,
    );
    // Another mailbox of the node cannot read it.
    const elsewhere = await request(nodes.police.url)
      .get(`/mailboxes/police-escalation/notifications/${listed.decisionMessageId}`)
      .set('Authorization', `Bearer ${await mailboxToken('police-escalation')}`);
    expect(elsewhere.status).toBe(404);
  });

  it('a claimed repeat without history is refused by the MARAC, and the police see it refused with the reason', async () => {
    const response = await refer(
      nodes.police,
      'northshire-police',
      referral({
        victimRef: `V-${randomUUID()}`,
        children: [],
        criterion: 'repeat',
        dashAnswers: dash(4),
      }),
    );
    expect(response.status).toBe(202);
    const refusedId = response.body.referralId as string;
    const refused = await referralStatus(
      nodes.police,
      'northshire-police',
      refusedId,
      (found) => found.status === 'refused',
      'the referral refused by the MARAC',
    );
    expect(refused.listing).toBeNull();
    expect(refused.refusal).toEqual({
      by: 'marac',
      code: 'CRITERION_NOT_MET',
      reason:
        'criterion: repeat needs a previous MARAC referral for the same victim within 12 months; none is recorded',
      at: '2026-03-02T09:00:00.000Z',
    });
    const decision = await read('police-safeguarding-hub', refused.decisionMessageId!);
    expect(decision.notification).toMatchObject({
      referralId: refusedId,
      decision: 'refused',
      reasonCode: 'CRITERION_NOT_MET',
    });
    expect(decision.notification).not.toHaveProperty('caseId');
    // Nothing was listed; the coordinator sees the refusal and that the police were told.
    const [{ n }] = await maracDb.query(
      'SELECT count(*)::int AS n FROM marac_case WHERE referral_id = $1',
      [refusedId],
    );
    expect(n).toBe(0);
    const atMarac = await eventually(
      async () => {
        const list = await request(marac.url)
          .get('/referrals/refused')
          .set('Authorization', `Bearer ${coordinator}`);
        const found = (
          list.body as { referralId: string; toldReferrer: { state: string } | null }[]
        ).find((item) => item.referralId === refusedId);
        return found?.toldReferrer?.state === 'delivered' ? found : undefined;
      },
      { what: "the police node's receipt of the refusal at the MARAC", timeoutMs: 60_000 },
    );
    expect(atMarac).toMatchObject({
      code: 'CRITERION_NOT_MET',
      toldReferrer: { messageId: expect.any(String), mailboxId: 'police-safeguarding-hub' },
    });
  });

  it("refuses a referral naming another node's mailbox as the referrer's; the police see why", async () => {
    const response = await refer(
      nodes.police,
      'northshire-police',
      referral({ victimRef: `V-${randomUUID()}`, children: [], referrerMailboxId: 'mash' }),
    );
    expect(response.status).toBe(202);
    const refused = await referralStatus(
      nodes.police,
      'northshire-police',
      response.body.referralId,
      (found) => found.status === 'refused',
      'the referral refused by the hub',
    );
    expect(refused.refusal).toMatchObject({ by: 'exchange', code: 'RECIPIENT_UNKNOWN' });
    const [{ n }] = await maracDb.query(
      'SELECT count(*)::int AS n FROM marac_case WHERE referral_id = $1',
      [response.body.referralId],
    );
    expect(n).toBe(0);
  });

  it('each member mailbox receives its signed request through the hub, a school only its own pupils', async () => {
    const views: Record<string, Record<string, unknown>> = {};
    for (const mailbox of [
      'police-safeguarding-hub',
      'health-visiting',
      'mash',
      'school-990101-dsl',
      'school-990102-dsl',
    ]) {
      const item = await requestIn(mailbox);
      requestIds[mailbox] = item.requestId;
      const message = await read(mailbox, item.messageId);
      expect(message.type).toBe('uk.safeguarding.exchange.marac-information-request-view');
      views[mailbox] = message.notification;
    }
    const refs = (view: Record<string, unknown>) =>
      (view.children as { subjectRef: string }[]).map((child) => child.subjectRef);
    expect(refs(views['school-990101-dsl'])).toEqual([children.c1, children.c3]);
    expect(refs(views['school-990102-dsl'])).toEqual([children.c2]);
    expect(refs(views.mash)).toEqual(Object.values(children));
    expect(views.mash).toMatchObject({
      caseId,
      victimRef,
      perpetratorRef,
      meetingDate: '2026-03-19',
      dueAt: '2026-03-17T00:00:00.000Z',
      dashTotal: 15,
      criterion: 'visible-high-risk',
      recipientMailboxId: 'mash',
    });
    // The school's policy rule: the people and dates, not the DASH score or the criterion.
    expect(Object.keys(views['school-990101-dsl']).sort()).toEqual(
      [
        'caseId',
        'children',
        'dueAt',
        'meetingAt',
        'meetingDate',
        'perpetratorRef',
        'recipientMailboxId',
        'requestId',
        'victimRef',
      ].sort(),
    );
    // No member is told what the sharing rests on.
    for (const view of Object.values(views)) {
      expect(view).not.toHaveProperty('consent');
      expect(view).not.toHaveProperty('lawfulBasis');
    }
    // Another mailbox's token reads nothing of it.
    const other = await request(nodes.education.url)
      .get(`/mailboxes/school-990101-dsl/marac`)
      .set('Authorization', `Bearer ${await mailboxToken('school-990102-dsl')}`);
    expect(other.status).toBe(403);
  });

  it('members answer from their nodes with the research form; a second answer is refused', async () => {
    at('2026-03-10T11:00:00Z');
    const answers: [string, string][] = [
      ['police-safeguarding-hub', secrets.policeFacts],
      ['health-visiting', 'Seen at home in February.'],
      ['mash', 'Open to early help in 2025.'],
      ['school-990101-dsl', 'Attendance fell in February.'],
    ];
    for (const [mailbox, facts] of answers) {
      const response = await request(nodeOf(mailbox).url)
        .post(`/mailboxes/${mailbox}/marac/requests/${requestIds[mailbox]}/response`)
        .set('Authorization', `Bearer ${await mailboxToken(mailbox)}`)
        .send(research(facts));
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({
        requestId: requestIds[mailbox],
        dueAt: '2026-03-17T00:00:00.000Z',
      });
    }
    const again = await request(nodes.police.url)
      .post(
        `/mailboxes/police-safeguarding-hub/marac/requests/${requestIds['police-safeguarding-hub']}/response`,
      )
      .set('Authorization', `Bearer ${await mailboxToken('police-safeguarding-hub')}`)
      .send(research());
    expect(again.status).toBe(409);
    const factsMissing = await request(nodes.health.url)
      .post(`/mailboxes/health-visiting/marac/requests/${requestIds['health-visiting']}/response`)
      .set('Authorization', `Bearer ${await mailboxToken('health-visiting')}`)
      .send({ ...research(), knownRisks: { opinion: 'only an opinion' } });
    expect(factsMissing.status).toBe(400);
    expect(factsMissing.body.message).toContain('knownRisks.facts should not be empty');
    // A mailbox the request did not go to cannot answer it.
    const elsewhere = await request(nodes.health.url)
      .post(`/mailboxes/school-nursing/marac/requests/${requestIds['health-visiting']}/response`)
      .set('Authorization', `Bearer ${await mailboxToken('school-nursing')}`)
      .send(research());
    expect(elsewhere.status).toBe(404);

    const collated = await eventually(
      async () => {
        const current = await pack();
        return current.notAnswered.length === 1 ? current : undefined;
      },
      { what: 'four answers in the pack', timeoutMs: 60_000 },
    );
    expect(collated.notAnswered).toEqual([
      { agencyId: 'northshire-education', mailboxId: 'school-990102-dsl' },
    ]);
  });

  it('escalates the unanswered request exactly once, through the hub, to the education escalation mailbox', async () => {
    at('2026-03-17T09:00:00Z');
    const job = marac.app.get(DeadlineEscalationJob);
    await job.tick();
    await job.tick();
    const escalations = (await outgoing()).filter((message) => message.kind === 'marac-escalation');
    expect(escalations.map((message) => message.recipientMailboxId)).toEqual([
      'education-escalation',
    ]);
    const received = await eventually(
      async () => {
        const list = await request(nodes.education.url)
          .get('/mailboxes/education-escalation/notifications')
          .set('Authorization', `Bearer ${await mailboxToken('education-escalation')}`);
        const found: Record<string, unknown>[] = [];
        for (const item of list.body as { messageId: string; type: string }[]) {
          if (item.type !== 'uk.safeguarding.exchange.marac-escalation-view') continue;
          const view = await request(nodes.education.url)
            .get(`/mailboxes/education-escalation/notifications/${item.messageId}`)
            .set('Authorization', `Bearer ${await mailboxToken('education-escalation')}`);
          // Escalations of earlier runs are encrypted to keys this run does not hold.
          if (view.status === 200 && view.body.notification?.caseId === caseId) {
            found.push(view.body.notification);
          }
        }
        return found.length > 0 ? found : undefined;
      },
      { what: 'the escalation in the education escalation mailbox', timeoutMs: 60_000 },
    );
    expect(received).toEqual([
      {
        caseId,
        about: 'information-request',
        overdueId: requestIds['school-990102-dsl'],
        overdueAgencyId: 'northshire-education',
        overdueMailboxId: 'school-990102-dsl',
        dueAt: '2026-03-17T00:00:00.000Z',
        escalatedAt: '2026-03-17T09:00:00.000Z',
        recipientMailboxId: 'education-escalation',
      },
    ]);
    const [{ n }] = await hubDb.query(
      `SELECT count(*)::int AS n FROM delivery WHERE message_type = $1 AND mailbox_id = $2
          AND submission_id = $3`,
      [
        'uk.safeguarding.exchange.marac-escalation',
        'education-escalation',
        escalations[0].messageId,
      ],
    );
    expect(n).toBe(1);
    const current = await pack();
    expect(current.overdue).toEqual([
      {
        agencyId: 'northshire-education',
        mailboxId: 'school-990102-dsl',
        escalatedAt: '2026-03-17T09:00:00.000Z',
      },
    ]);
  });

  it('takes the late answer and shows in the pack every answer and who was late', async () => {
    at('2026-03-17T14:00:00Z');
    const late = await request(nodes.education.url)
      .post(
        `/mailboxes/school-990102-dsl/marac/requests/${requestIds['school-990102-dsl']}/response`,
      )
      .set('Authorization', `Bearer ${await mailboxToken('school-990102-dsl')}`)
      .send(research('Late but here.'));
    expect(late.status).toBe(202);
    const complete = await eventually(
      async () => {
        const current = await pack();
        return current.notAnswered.length === 0 ? current : undefined;
      },
      { what: 'every answer in the pack', timeoutMs: 60_000 },
    );
    const answered = complete.agencies.map(
      (entry: { mailboxId: string; agencyId: string; response: { late: boolean } }) => [
        entry.mailboxId,
        entry.agencyId,
        entry.response.late,
      ],
    );
    expect(answered).toEqual(
      expect.arrayContaining([
        ['police-safeguarding-hub', 'northshire-police', false],
        ['health-visiting', 'northshire-community-health', false],
        ['mash', 'northshire-childrens-social-care', false],
        ['school-990101-dsl', 'northshire-education', false],
        ['school-990102-dsl', 'northshire-education', true],
      ]),
    );
    expect(answered).toHaveLength(5);
    const police = complete.agencies.find(
      (entry: { mailboxId: string }) => entry.mailboxId === 'police-safeguarding-hub',
    );
    expect(police.response.form.knownRisks).toEqual({
      facts: secrets.risks,
      opinion: 'Escalating.',
    });
    expect(police.response.form.victimInvolvement).toEqual({
      facts: secrets.policeFacts,
      opinion: secrets.opinion,
    });
    const school = complete.agencies.find(
      (entry: { mailboxId: string }) => entry.mailboxId === 'school-990102-dsl',
    );
    expect(school.escalatedAt).toBe('2026-03-17T09:00:00.000Z');
  });

  it('exports the pack as printable HTML, every value escaped', async () => {
    const response = await request(marac.url)
      .get(`/cases/${caseId}/pack.html`)
      .set('Authorization', `Bearer ${coordinator}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(response.text).toContain('5 of 5 agencies have answered');
    expect(response.text).toMatch(/<p class="attention">Received [^<]* \(late\); due /);
    expect(response.text).not.toMatch(/<script/i);
    expect(response.text).toContain('Police &lt;script&gt;alert(1)&lt;/script&gt; log');
  });

  let policeAction: string;
  let schoolAction: string;

  it('the coordinator records actions; each owner mailbox receives its action through the hub', async () => {
    at('2026-03-19T12:00:00Z');
    const response = await request(marac.url)
      .post(`/cases/${caseId}/actions`)
      .set('Authorization', `Bearer ${coordinator}`)
      .send({
        actions: [
          {
            ownerAgencyId: 'northshire-police',
            description: secrets.action,
            dueDate: '2026-03-26',
          },
          {
            ownerAgencyId: 'northshire-education',
            ownerMailboxId: 'school-990101-dsl',
            description: 'Monitor attendance and report concerns',
            dueDate: '2026-04-02',
          },
        ],
      });
    expect(response.status).toBe(201);
    [policeAction, schoolAction] = response.body.map(
      (action: { actionId: string }) => action.actionId,
    );
    const delivered = await eventually(
      async () =>
        (await workOf('police-safeguarding-hub')).actions.find(
          (action) => action.actionId === policeAction,
        ),
      { what: 'the action in the police mailbox', timeoutMs: 60_000 },
    );
    const view = await read('police-safeguarding-hub', delivered.messageId);
    expect(view.notification).toEqual({
      actionId: policeAction,
      caseId,
      recipientMailboxId: 'police-safeguarding-hub',
      victimRef,
      description: secrets.action,
      dueDate: '2026-03-26',
      dueAt: '2026-03-27T00:00:00.000Z',
    });
    await eventually(
      async () =>
        (await workOf('school-990101-dsl')).actions.find(
          (action) => action.actionId === schoolAction,
        ),
      { what: 'the action in the school mailbox', timeoutMs: 60_000 },
    );
    // The other school has no action of this case.
    expect(
      (await workOf('school-990102-dsl')).actions.filter((action) => action.caseId === caseId),
    ).toEqual([]);
  });

  it('the owner node acknowledges and updates its action; the MARAC sees it, and a completed action takes no more', async () => {
    const token = await mailboxToken('police-safeguarding-hub');
    const base = `/mailboxes/police-safeguarding-hub/marac/actions/${policeAction}`;
    const ack = await request(nodes.police.url)
      .post(`${base}/acknowledge`)
      .set('Authorization', `Bearer ${token}`);
    expect(ack.status).toBe(202);
    expect(ack.body).toMatchObject({ state: 'acknowledged', messageId: expect.any(String) });
    await eventually(
      async () => {
        const action = (await pack()).actions.find(
          (item: { actionId: string }) => item.actionId === policeAction,
        );
        return action?.state === 'acknowledged' ? action : undefined;
      },
      { what: 'the acknowledgement at the MARAC', timeoutMs: 60_000 },
    );
    const notOwner = await request(nodes.education.url)
      .post(`/mailboxes/school-990102-dsl/marac/actions/${policeAction}/acknowledge`)
      .set('Authorization', `Bearer ${await mailboxToken('school-990102-dsl')}`);
    expect(notOwner.status).toBe(404);

    at('2026-03-23T10:00:00Z');
    const progress = await request(nodes.police.url)
      .post(`${base}/updates`)
      .set('Authorization', `Bearer ${token}`)
      .send({ status: 'in-progress', note: 'Marker requested from the control room.' });
    expect(progress.status).toBe(202);
    // The MARAC records updates in the order they arrive: wait for the first before the next.
    await eventually(
      async () => {
        const action = (await pack()).actions.find(
          (item: { actionId: string }) => item.actionId === policeAction,
        );
        return action?.state === 'in-progress' ? action : undefined;
      },
      { what: 'progress at the MARAC', timeoutMs: 60_000 },
    );
    at('2026-03-25T16:00:00Z');
    const done = await request(nodes.police.url)
      .post(`${base}/updates`)
      .set('Authorization', `Bearer ${token}`)
      .send({ status: 'completed', note: 'Marker in place.' });
    expect(done.status).toBe(202);
    const after = await request(nodes.police.url)
      .post(`${base}/updates`)
      .set('Authorization', `Bearer ${token}`)
      .send({ status: 'in-progress', note: 'again' });
    expect(after.status).toBe(409);

    const completed = await eventually(
      async () => {
        const action = (await pack()).actions.find(
          (item: { actionId: string }) => item.actionId === policeAction,
        );
        return action?.state === 'completed' ? action : undefined;
      },
      { what: 'the completed action at the MARAC', timeoutMs: 60_000 },
    );
    expect(completed).toMatchObject({
      ownerAgencyId: 'northshire-police',
      acknowledgedAt: '2026-03-19T12:00:00.000Z',
      updates: [
        expect.objectContaining({ status: 'in-progress', recordedAt: '2026-03-23T10:00:00.000Z' }),
        expect.objectContaining({
          status: 'completed',
          note: 'Marker in place.',
          recordedAt: '2026-03-25T16:00:00.000Z',
        }),
      ],
    });
    // What the MARAC sent reached the members: the hub forwarded their nodes' receipts.
    await eventually(
      async () => {
        const sent = await outgoing();
        return sent.every((message) => ['delivered', 'acknowledged'].includes(message.state))
          ? sent
          : undefined;
      },
      { what: 'every MARAC message delivered', timeoutMs: 60_000 },
    );
  });

  it('detects a repeat referral for the same victim within 12 months, from the health node', async () => {
    at('2026-09-01T09:00:00Z');
    const response = await refer(
      nodes.health,
      'northshire-community-health',
      referral({
        referringAgencyId: 'northshire-community-health',
        criterion: 'professional-judgement',
        dashAnswers: dash(8),
        professionalJudgementReason: 'Disclosure at an antenatal appointment.',
        lawfulBasis: 'dpa2018-sch1-para18',
        referrerMailboxId: 'health-visiting',
      }),
    );
    expect(response.status).toBe(202);
    const repeat = await caseOf(response.body.referralId);
    expect(repeat).toMatchObject({ repeat: true, previous_case_id: caseId });
    const detail = await request(marac.url)
      .get(`/cases/${repeat.id}`)
      .set('Authorization', `Bearer ${coordinator}`);
    expect(detail.body).toMatchObject({
      repeat: true,
      previousCaseId: caseId,
      referringAgencyId: 'northshire-community-health',
    });
  });

  it('refuses a request to a mailbox whose agency the registry does not list as a member, whatever the MARAC is configured with', async () => {
    // The registry no longer lists health as a member; the MARAC's members file still does.
    await hubDb.query(
      `DELETE FROM marac_member WHERE marac_agency_id = 'northshire-marac'
         AND member_agency_id = 'northshire-community-health'`,
    );
    try {
      const otherVictim = `V-${randomUUID()}`;
      const response = await refer(
        nodes.police,
        'northshire-police',
        referral({ victimRef: otherVictim, children: [] }),
      );
      expect(response.status).toBe(202);
      const listed = await caseOf(response.body.referralId);
      const refused = await eventually(
        async () => {
          const sent = await outgoing(listed.id);
          const health = sent.find((message) => message.recipientMailboxId === 'health-visiting');
          return health?.state === 'rejected' ? health : undefined;
        },
        { what: 'the hub refusing the request to health', timeoutMs: 60_000 },
      );
      expect(refused.refusal).toMatchObject({ code: 'NOT_A_MARAC_MEMBER' });
      // The members still get theirs; health's node gets nothing of this case.
      await requestIn('mash', listed.id);
      const [{ n }] = await hubDb.query(
        `SELECT count(*)::int AS n FROM delivery WHERE submission_id = $1`,
        [refused.messageId],
      );
      expect(n).toBe(0);
      expect(
        (await workOf('health-visiting')).requests.filter((item) => item.caseId === listed.id),
      ).toEqual([]);
      const rejected = await eventually(
        async () =>
          rawRecords([Topics.auditEvents])
            .map(({ record }) => auditEventOf(record.value))
            .find(
              (event) =>
                event.actor === 'hub' &&
                event.action === 'rejected' &&
                event.messageId === refused.messageId,
            ),
        { what: 'the refusal in the audit trail' },
      );
      expect(rejected).toMatchObject({ errorCode: 'NOT_A_MARAC_MEMBER', senderNode: 'marac' });

      // Past the deadline: the agencies that were asked are escalated; health, never asked, is
      // not, and the pack says its request was not delivered.
      at('2026-09-15T09:00:00Z');
      await marac.app.get(DeadlineEscalationJob).tick();
      const escalated = (await outgoing(listed.id))
        .filter((message) => message.kind === 'marac-escalation')
        .map((message) => message.recipientMailboxId)
        .sort();
      expect(escalated).toEqual(['police-escalation', 'social-care-escalation']);
      const listedPack = await request(marac.url)
        .get(`/cases/${listed.id}/pack`)
        .set('Authorization', `Bearer ${coordinator}`);
      expect(listedPack.body.notDelivered).toEqual([
        {
          agencyId: 'northshire-community-health',
          mailboxId: 'health-visiting',
          code: 'NOT_A_MARAC_MEMBER',
        },
      ]);
      expect(
        listedPack.body.overdue.map((entry: { mailboxId: string }) => entry.mailboxId),
      ).toEqual(['mash', 'police-safeguarding-hub']);
    } finally {
      await hubDb.query(
        `INSERT INTO marac_member (marac_agency_id, member_agency_id)
         VALUES ('northshire-marac', 'northshire-community-health') ON CONFLICT DO NOTHING`,
      );
    }
  });

  it('takes an answer only from the node and mailbox its request went to, once, and a referral only in the signing node’s own name', async () => {
    const form = { ...research(), answeredAt: new Date().toISOString(), caseId };
    // Health's node answering the police mailbox's request: not delivered to it.
    const foreign = await submitAs('health', MARAC_INFORMATION_RESPONSE, {
      ...form,
      requestId: requestIds['police-safeguarding-hub'],
      respondingMailboxId: 'police-safeguarding-hub',
    });
    // The police answering again, past their own node's check.
    const second = await submitAs('police', MARAC_INFORMATION_RESPONSE, {
      ...form,
      requestId: requestIds['police-safeguarding-hub'],
      respondingMailboxId: 'police-safeguarding-hub',
    });
    // An update on the action the police completed.
    const reopened = await submitAs('police', MARAC_ACTION_UPDATE, {
      actionId: policeAction,
      caseId,
      mailboxId: 'police-safeguarding-hub',
      status: 'in-progress',
      note: 'again',
      at: new Date().toISOString(),
    });
    // The police node referring in health's name.
    const misnamed = randomUUID();
    await submitAs(
      'police',
      MARAC_REFERRAL,
      {
        ...referral({ referringAgencyId: 'northshire-community-health' }),
        referralId: misnamed,
      } as never,
      { subjectRef: randomUUID(), jti: misnamed },
    );
    // A second decision on the police referral from the MARAC, and one from a node it never
    // reached.
    const decision = {
      referralId,
      decision: 'refused' as const,
      reasonCode: 'INVALID_REFERRAL' as const,
      reason: 'criterion: not met',
      decidedAt: new Date().toISOString(),
      lawfulBasis: 'dpa2018-sch1-para18' as const,
    };
    const secondDecision = await submitAs('marac', MARAC_REFERRAL_DECISION, decision, {
      subjectRef: referralId,
    });
    const foreignDecision = await submitAs('health', MARAC_REFERRAL_DECISION, decision, {
      subjectRef: referralId,
    });
    expect(await hubRefusalOf(secondDecision)).toMatchObject({ errorCode: 'ALREADY_CLOSED' });
    expect(await hubRefusalOf(foreignDecision)).toMatchObject({ errorCode: 'UNKNOWN_MESSAGE' });
    expect(await hubRefusalOf(foreign)).toMatchObject({ errorCode: 'UNKNOWN_MESSAGE' });
    expect(await hubRefusalOf(second)).toMatchObject({ errorCode: 'ALREADY_CLOSED' });
    expect(await hubRefusalOf(reopened)).toMatchObject({ errorCode: 'ALREADY_CLOSED' });
    expect(await hubRefusalOf(misnamed)).toMatchObject({ errorCode: 'AGENCY_MISMATCH' });
    const [{ n }] = await maracDb.query(
      'SELECT count(*)::int AS n FROM marac_case WHERE referral_id = $1',
      [misnamed],
    );
    expect(n).toBe(0);
    // The police still see their referral listed: neither decision reached them.
    const stillListed = await referralStatus(
      nodes.police,
      'northshire-police',
      referralId,
      () => true,
      'the police referral',
    );
    expect(stillListed).toMatchObject({ status: 'listed', refusal: null });
    const answers = (await pack()).agencies.filter(
      (entry: { mailboxId: string }) => entry.mailboxId === 'police-safeguarding-hub',
    );
    expect(answers).toHaveLength(1);
    expect(answers[0].response.form.victimInvolvement.facts).toBe(secrets.policeFacts);
  });

  it('carries no personal data in clear on any topic: references and free text only inside the encryption', async () => {
    const onMessageTopics = rawRecords().filter(({ topic }) => topic !== Topics.auditEvents);
    expect(onMessageTopics.length).toBeGreaterThan(20);
    const clear = (record: KafkaMessage) =>
      [
        record.key?.toString() ?? '',
        record.value?.toString() ?? '',
        ...Object.values(record.headers ?? {}).map((value) => String(value)),
      ].join('\n');
    for (const { record } of onMessageTopics) {
      const text = clear(record);
      for (const secret of [
        victimRef,
        perpetratorRef,
        ...Object.values(children),
        ...Object.values(secrets),
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    // The audit trail names subjects by pseudonymous reference and ids; never the free text.
    // Audit records are signed (a JWS): their payload is read, not the base64url it travels as.
    for (const { record } of rawRecords([Topics.auditEvents])) {
      const text = `${clear(record)}\n${JSON.stringify(auditEventOf(record.value))}`;
      for (const secret of Object.values(secrets)) expect(text).not.toContain(secret);
    }
  });
});
