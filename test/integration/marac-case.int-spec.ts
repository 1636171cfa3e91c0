/**
 * A whole MARAC case at the MARAC node: referral → listing → research → pack → actions → repeat.
 * Real: PostgreSQL (the marac schema), the marac Nest application with its auth guard (tokens
 * from a test issuer's JWKS over HTTP), its delivery consumer and inbox, its outbox relay, its
 * deadline job and the Kafka broker. Played by the test (test/support/hub-stand-in.ts): the hub
 * — referrals, research and action updates arrive as hub-signed views encrypted to the MARAC
 * node on its delivery topic, and what the MARAC sends (sealed to the hub) is opened with the
 * stand-in's key. The hub's own routing is tested end to end in test/e2e/marac-case.e2e-spec.ts.
 * Time is the service's injected Clock, set by the test; the deadline job is run by calling its
 * tick, as its interval would.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  MARAC_ACTION_UPDATE_VIEW,
  MARAC_INFORMATION_RESPONSE_VIEW,
  MARAC_REFERRAL_VIEW,
  MaracActionUpdateView,
  MaracInformationResponseView,
  MaracReferralView,
  RECEIPT,
  REJECTION,
  Topics,
} from '@app/contracts';
import { isSealedAtRest, NodeKeyPair } from '@app/crypto';
import { AtRestSealer } from '@app/node';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { Clock } from '../../apps/marac/src/clock/clock';
import { DeadlineEscalationJob } from '../../apps/marac/src/deadlines/deadline-escalation.job';
import { auditEventOf } from '../support/audit-signing';
import { HubStandIn, OpenedEnvelope } from '../support/hub-stand-in';
import { RawTopicReader } from '../support/raw-topic-reader';
import { writeNodeKeyFiles } from '../support/registry-fixtures';
import { eventually, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

const dash = (yes: number) =>
  Array.from({ length: 24 }, (_, index) => (index < yes ? 'yes' : 'no'));

interface Outgoing {
  messageId: string;
  kind: string;
  correlationId: string;
  recipientAgencyId: string;
  recipientMailboxId: string;
  state: string;
  refusal: { code: string; reason: string } | null;
  body: Record<string, unknown>;
}

describe('MARAC case: referral → listing → research → pack → actions → repeat', () => {
  const issuer = new TestIssuer();
  const hubStandIn = new HubStandIn();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-marac-int-keys-'));
  let maracEncryption: NodeKeyPair;
  let marac: RunningService;
  let clock: Clock;
  let job: DeadlineEscalationJob;
  let db: DataSource;
  let coordinator: string;
  let agencySystem: string;
  let mailboxUser: string;

  const victimRef = `V-${randomUUID()}`;
  const perpetratorRef = `P-${randomUUID()}`;
  const children = {
    c1: `C-${randomUUID()}`,
    c2: `C-${randomUUID()}`,
    c3: `C-${randomUUID()}`,
    c4: `C-${randomUUID()}`,
  };
  let caseId: string;
  const requestIds: Record<string, string> = {};

  const at = (iso: string) => clock.setForTest(new Date(iso));
  const post = (path: string, token: string | undefined, body: object) => {
    const call = request(marac.url).post(path);
    return (token ? call.set('Authorization', `Bearer ${token}`) : call).send(body);
  };
  const get = (path: string, token: string) =>
    request(marac.url).get(path).set('Authorization', `Bearer ${token}`);
  /** A PDF's text as a reader's tool extracts it (poppler-utils' pdftotext). */
  const pdfText = (pdf: Buffer) =>
    execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');

  const referral = (overrides: object = {}) => ({
    referringAgencyId: 'northshire-police',
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
  });

  /** As the hub delivers to the MARAC coordinator's mailbox. */
  const deliver = <B extends object>(
    definition: Parameters<HubStandIn['deliver']>[2],
    body: B,
    subjectRef = caseId ?? randomUUID(),
  ) =>
    hubStandIn.deliver(
      'marac',
      maracEncryption.publicJwk,
      definition as never,
      { ...body, recipientMailboxId: 'marac-coordinator' },
      subjectRef,
    );

  /** The referrer's mailbox, as its node names it (the hub checks it is that node's). */
  const REFERRER_MAILBOX: Record<string, string> = {
    'northshire-police': 'police-safeguarding-hub',
    'northshire-community-health': 'health-visiting',
  };

  const deliverReferral = (overrides: Record<string, unknown> = {}) => {
    const referralId = randomUUID();
    const body = referral(overrides);
    return deliver<Omit<MaracReferralView, 'recipientMailboxId'>>(
      MARAC_REFERRAL_VIEW,
      {
        ...body,
        referralId,
        referrerMailboxId: REFERRER_MAILBOX[body.referringAgencyId],
      } as never,
      randomUUID(),
    ).then((messageId) => ({ referralId, messageId }));
  };

  /** The MARAC's decision on a referral, as it sealed it to the hub. */
  const decisionSealed = (referralId: string) =>
    eventually(
      async () =>
        (await sealed()).find(
          (envelope) =>
            envelope.type === 'uk.safeguarding.exchange.marac-referral-decision' &&
            envelope.body.referralId === referralId,
        ),
      { what: `the decision on ${referralId} on the submissions topic` },
    );

  const research = (
    agencyId: string,
    mailboxId: string,
    facts = 'Known to us since 2024.',
  ): Omit<MaracInformationResponseView, 'recipientMailboxId'> => ({
    requestId: requestIds[mailboxId] ?? randomUUID(),
    caseId,
    respondingAgencyId: agencyId,
    respondingMailboxId: mailboxId,
    answeredAt: new Date().toISOString(),
    victimInvolvement: { facts, opinion: 'Victim appears isolated.' },
    perpetratorInvolvement: { facts: 'Two call-outs recorded.' },
    childrenInvolvement: [{ subjectRef: children.c1, facts: 'Attendance fell in February.' }],
    knownRisks: { facts: 'Threats to kill recorded on 1 March.', opinion: 'Escalating.' },
    currentActions: 'Safety planning with the victim.',
    contact: 'Safeguarding team, secure email via the exchange',
  });

  const update = (
    actionId: string,
    agencyId: string,
    mailboxId: string,
    status: MaracActionUpdateView['status'],
    note?: string,
  ): Omit<MaracActionUpdateView, 'recipientMailboxId'> => ({
    actionId,
    caseId,
    agencyId,
    mailboxId,
    status,
    ...(note ? { note } : {}),
    at: new Date().toISOString(),
  });

  const outgoing = async (id = caseId): Promise<Outgoing[]> => {
    const response = await get(`/cases/${id}/outgoing`, coordinator);
    expect(response.status).toBe(200);
    return response.body as Outgoing[];
  };

  async function pack() {
    const response = await get(`/cases/${caseId}/pack`, coordinator);
    expect(response.status).toBe(200);
    return response.body;
  }

  /** Polls the pack until the probe holds. */
  const packWhen = (probe: (current: Record<string, never>) => boolean, what: string) =>
    eventually(
      async () => {
        const current = await pack();
        return probe(current) ? current : undefined;
      },
      { what },
    );

  /** The MARAC's audit events of a message it refused on arrival. */
  const refusalOf = (messageId: string) =>
    eventually(
      async () =>
        auditTopic.records
          .map((record) => auditEventOf(record.value))
          .find(
            (event) =>
              event.actor === 'marac' &&
              event.action === 'rejected' &&
              event.messageId === messageId,
          ),
      { what: `the MARAC's refusal of ${messageId}` },
    );

  /** What the MARAC sealed to the hub, opened with the stand-in hub's key. */
  async function sealed(): Promise<OpenedEnvelope[]> {
    const opened = await Promise.all(
      submissions.records
        .filter((record) => record.headers?.ce_source?.toString() === 'marac')
        .map((record) => hubStandIn.open(record)),
    );
    return opened.filter((item): item is OpenedEnvelope => item !== undefined);
  }

  let auditTopic: RawTopicReader;
  let submissions: RawTopicReader;
  let deadLetters: RawTopicReader;

  beforeAll(async () => {
    await issuer.start();
    await hubStandIn.start();
    maracEncryption = (await writeNodeKeyFiles(keysDir, 'marac')).encryption;
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: hubStandIn.jwksUrl,
      OUTBOX_POLL_INTERVAL_MS: '200',
    });
    coordinator = await issuer.token({ roles: ['marac-coordinator'], subject: 'coordinator' });
    agencySystem = await issuer.token({
      roles: ['agency-system'],
      subject: 'agency-system',
      agency: 'northshire-police',
    });
    mailboxUser = await issuer.token({ roles: ['mailbox-user'], mailboxes: ['mash'] });
    auditTopic = new RawTopicReader(Topics.auditEvents);
    submissions = new RawTopicReader(Topics.submissions);
    deadLetters = new RawTopicReader(Topics.deadLetter);
    await Promise.all([auditTopic.start(), submissions.start(), deadLetters.start()]);
    marac = await startService(MaracModule);
    clock = marac.app.get(Clock);
    job = marac.app.get(DeadlineEscalationJob);
    db = marac.app.get(DataSource);
    // Monday 2 March 2026: the meeting of Thursday 5 March has research due today, so the next one.
    at('2026-03-02T09:00:00Z');
  });

  afterAll(async () => {
    clock?.setForTest(null);
    await marac?.app.close();
    await Promise.all([auditTopic?.stop(), submissions?.stop(), deadLetters?.stop()]);
    await hubStandIn.stop();
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  describe("refuses a referral whose criterion is not met, naming the field, and stores nothing (the coordinator's entry; agency nodes apply the same rules from libs/contracts)", () => {
    const refused: [string, object, string][] = [
      [
        'visible high risk with 13 yes answers',
        { dashAnswers: dash(13) },
        'dashAnswers: visible-high-risk needs 14 or more yes answers; the DASH total is 13',
      ],
      [
        'potential escalation with 2 incidents',
        { criterion: 'potential-escalation', dashAnswers: dash(5), incidentsLast12Months: 2 },
        'incidentsLast12Months: potential-escalation needs 3 or more incidents in the last 12 months',
      ],
      [
        'professional judgement without a reason',
        { criterion: 'professional-judgement', dashAnswers: dash(6) },
        'professionalJudgementReason: professional-judgement needs the reason for the judgement',
      ],
      [
        'repeat claimed with no previous referral within 12 months',
        { criterion: 'repeat', dashAnswers: dash(6) },
        'criterion: repeat needs a previous MARAC referral for the same victim within 12 months; none is recorded',
      ],
      [
        'a DASH total without the reason the answers are missing',
        { dashAnswers: undefined, dashTotal: 16 },
        'dashAnswersMissingReason: a DASH total without the answers needs the reason the answers are missing',
      ],
    ];
    it.each(refused)('%s', async (_, overrides, message) => {
      const response = await post('/referrals', coordinator, referral(overrides));
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        statusCode: 400,
        error: expect.stringMatching(/^(CRITERION_NOT_MET|INVALID_REFERRAL)$/),
        message: [message],
      });
      const [{ n }] = (await db.query(
        'SELECT count(*)::int AS n FROM marac_case WHERE victim_ref = $1',
        [victimRef],
      )) as { n: number }[];
      expect(n).toBe(0);
    });

    it('refuses a name typed where a reference belongs, and a partial checklist', async () => {
      const named = await post('/referrals', coordinator, referral({ victimRef: 'Jane Smith' }));
      expect(named.status).toBe(400);
      expect(named.body.message).toEqual([
        'victimRef must be a pseudonymous reference (3–100 letters, digits, . _ : -)',
      ]);
      const partial = await post(
        '/referrals',
        coordinator,
        referral({ dashAnswers: dash(20).slice(0, 20) }),
      );
      expect(partial.status).toBe(400);
      expect(partial.body.message).toEqual([
        'dashAnswers: must answer all 24 questions (yes, no or not-known)',
      ]);
    });

    it('refuses callers who are not the coordinator: agencies refer through their node', async () => {
      expect((await post('/referrals', undefined, referral())).status).toBe(401);
      expect((await post('/referrals', mailboxUser, referral())).status).toBe(403);
      expect((await post('/referrals', agencySystem, referral())).status).toBe(403);
    });
  });

  let firstReferralId: string;

  it('lists a referral delivered through the hub for the next meeting, with the DASH total computed', async () => {
    const { referralId } = await deliverReferral();
    firstReferralId = referralId;
    const [row] = await eventually(
      async () => {
        const rows = (await db.query('SELECT id FROM marac_case WHERE referral_id = $1', [
          referralId,
        ])) as { id: string }[];
        return rows.length ? rows : undefined;
      },
      { what: 'the delivered referral listed' },
    );
    caseId = row.id;
    const detail = await get(`/cases/${caseId}`, coordinator);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      caseId,
      victimRef,
      referringAgencyId: 'northshire-police',
      dashTotal: 15,
      dashTotalComputed: true,
      repeat: false,
      previousCaseId: null,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      // Three working days before Thursday 19 March is Monday 16 March, due by its end.
      responsesDueAt: '2026-03-17T00:00:00.000Z',
    });
    const listed = await get('/cases', coordinator);
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ caseId, victimRef, meetingDate: '2026-03-19', repeat: false }),
    );
    expect((await get('/cases', agencySystem)).status).toBe(403);
  });

  it("tells the referrer in the listing's transaction: the case and the meeting, sealed to the hub", async () => {
    const [decision] = (await outgoing()).filter(
      (message) => message.kind === 'marac-referral-decision',
    );
    expect(decision).toMatchObject({
      correlationId: firstReferralId,
      recipientAgencyId: 'northshire-police',
      recipientMailboxId: 'police-safeguarding-hub',
      state: 'sent',
    });
    const envelope = await decisionSealed(firstReferralId);
    expect(envelope).toMatchObject({ iss: 'marac', jti: decision.messageId, sub: caseId });
    // Listed, for the meeting of 19 March, under the MARAC's own basis; nothing of the case.
    expect(envelope.body).toEqual({
      referralId: firstReferralId,
      decision: 'listed',
      caseId,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      decidedAt: '2026-03-02T09:00:00.000Z',
      lawfulBasis: 'dpa2018-sch1-para18',
    });
  });

  it('sends one information request per member mailbox, sealed to the hub, a school naming only its pupils', async () => {
    const messages = (await outgoing()).filter(
      (message) => message.kind === 'marac-information-request',
    );
    expect(messages).toHaveLength(5);
    expect(messages.every((message) => message.kind === 'marac-information-request')).toBe(true);
    expect(messages.every((message) => message.state === 'sent')).toBe(true);
    expect(
      messages.map((message) => [message.recipientAgencyId, message.recipientMailboxId]),
    ).toEqual(
      expect.arrayContaining([
        ['northshire-police', 'police-safeguarding-hub'],
        ['northshire-community-health', 'health-visiting'],
        ['northshire-childrens-social-care', 'mash'],
        ['northshire-education', 'school-990101-dsl'],
        ['northshire-education', 'school-990102-dsl'],
      ]),
    );
    // What went to the hub: signed by the MARAC, encrypted to the hub, one per mailbox.
    const requests = await eventually(
      async () => {
        const found = (await sealed()).filter(
          (envelope) =>
            envelope.type === 'uk.safeguarding.exchange.marac-information-request' &&
            envelope.body.caseId === caseId,
        );
        return found.length === 5 ? found : undefined;
      },
      { what: 'the five requests on the submissions topic' },
    );
    const byMailbox = Object.fromEntries(
      requests.map((envelope) => [envelope.body.recipientMailboxId as string, envelope]),
    );
    const refs = (envelope: OpenedEnvelope) =>
      (envelope.body.children as { subjectRef: string }[]).map((child) => child.subjectRef);
    // A school hears of its own pupils only; the others of every child in the household.
    expect(refs(byMailbox['school-990101-dsl'])).toEqual([children.c1, children.c3]);
    expect(refs(byMailbox['school-990102-dsl'])).toEqual([children.c2]);
    expect(refs(byMailbox.mash)).toEqual(Object.values(children));
    expect(byMailbox.mash).toMatchObject({ iss: 'marac', sub: caseId });
    expect(byMailbox.mash.body).toMatchObject({
      caseId,
      victimRef,
      meetingDate: '2026-03-19',
      dueAt: '2026-03-17T00:00:00.000Z',
      dashTotal: 15,
      // The MARAC shares under its own basis, with the referral's consent position.
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch1-para18',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
    });
    for (const message of messages) {
      requestIds[message.recipientMailboxId] = message.correlationId;
      expect(byMailbox[message.recipientMailboxId].jti).toBe(message.messageId);
    }
  });

  it('moves an outgoing message on with what the hub says: a receipt, a refusal', async () => {
    const messages = (await outgoing()).filter(
      (message) => message.kind === 'marac-information-request',
    );
    const police = messages.find((m) => m.recipientMailboxId === 'police-safeguarding-hub')!;
    await hubStandIn.deliver(
      'marac',
      maracEncryption.publicJwk,
      RECEIPT,
      {
        messageId: police.messageId,
        mailboxId: 'police-safeguarding-hub',
        status: 'delivered',
        at: new Date().toISOString(),
      },
      caseId,
    );
    await eventually(
      async () =>
        (await outgoing()).find((m) => m.messageId === police.messageId)?.state === 'delivered'
          ? true
          : undefined,
      { what: 'the request shown delivered' },
    );
    const health = messages.find((m) => m.recipientMailboxId === 'health-visiting')!;
    await hubStandIn.deliver(
      'marac',
      maracEncryption.publicJwk,
      REJECTION,
      {
        messageId: health.messageId,
        code: 'NOT_A_MARAC_MEMBER',
        reason: "the mailbox's agency is not a member of this MARAC",
        recipient: 'health-visiting',
      },
      caseId,
    );
    const rejected = await eventually(
      async () => {
        const found = (await outgoing()).find((m) => m.messageId === health.messageId);
        return found?.state === 'rejected' ? found : undefined;
      },
      { what: 'the request shown rejected' },
    );
    expect(rejected.refusal).toMatchObject({ code: 'NOT_A_MARAC_MEMBER' });
  });

  it('has no agency-facing research or action endpoints any more: answers come through the hub', async () => {
    const research = await post(`/cases/${caseId}/research`, agencySystem, {});
    expect(research.status).toBe(404);
    const ack = await post(`/actions/${randomUUID()}/acknowledge`, agencySystem, {});
    expect(ack.status).toBe(404);
  });

  it('takes research from the case members only, once each', async () => {
    at('2026-03-10T11:00:00Z');
    const police = await deliver(
      MARAC_INFORMATION_RESPONSE_VIEW,
      research(
        'northshire-police',
        'police-safeguarding-hub',
        'Police <script>alert(1)</script> log',
      ),
    );
    await deliver(
      MARAC_INFORMATION_RESPONSE_VIEW,
      research('northshire-community-health', 'health-visiting'),
    );
    const answered = await packWhen(
      (current) => (current.notAnswered as unknown[]).length === 3,
      'two answers in the pack',
    );
    const policeEntry = (answered.agencies as unknown as Record<string, never>[]).find(
      (entry) => entry.mailboxId === 'police-safeguarding-hub',
    ) as unknown as { response: { late: boolean; receivedAt: string } };
    expect(policeEntry.response).toMatchObject({
      late: false,
      receivedAt: '2026-03-10T11:00:00.000Z',
    });
    expect(police).toEqual(expect.any(String));

    // A second answer, another agency speaking for a member's mailbox, an agency the case never
    // asked: each refused on arrival with its code, audited, and nothing stored.
    const again = await deliver(
      MARAC_INFORMATION_RESPONSE_VIEW,
      research('northshire-police', 'police-safeguarding-hub', 'A second answer'),
    );
    expect(await refusalOf(again)).toMatchObject({ errorCode: 'ALREADY_ANSWERED' });
    const asPolice = await deliver(MARAC_INFORMATION_RESPONSE_VIEW, {
      ...research('northshire-community-health', 'police-safeguarding-hub'),
      requestId: requestIds['police-safeguarding-hub'],
    });
    expect(await refusalOf(asPolice)).toMatchObject({ errorCode: 'NOT_A_CASE_MEMBER' });
    const housing = await deliver(MARAC_INFORMATION_RESPONSE_VIEW, {
      ...research('northshire-homes', 'mash'),
      requestId: requestIds.mash,
    });
    expect(await refusalOf(housing)).toMatchObject({ errorCode: 'NOT_A_CASE_MEMBER' });
    const [{ n }] = (await db.query(
      'SELECT count(*)::int AS n FROM research_response WHERE case_id = $1',
      [caseId],
    )) as { n: number }[];
    expect(n).toBe(2);

    // Research without facts never reaches the pack: it fails its contract and is dead-lettered.
    const missingFacts = await deliver(MARAC_INFORMATION_RESPONSE_VIEW, {
      ...research('northshire-childrens-social-care', 'mash'),
      knownRisks: { opinion: 'only an opinion' },
    } as never);
    const dead = await eventually(
      async () => deadLetters.find((record) => record.headers?.ce_id?.toString() === missingFacts),
      { what: 'the research without facts dead-lettered' },
    );
    expect(dead.headers?.sgx_dead_letter_reason?.toString()).toContain('knownRisks.facts');
    expect((await pack()).notAnswered).toHaveLength(3);
  });

  it('escalates each overdue request to its agency escalation mailbox exactly once', async () => {
    at('2026-03-17T09:00:00Z');
    await job.tick();
    await job.tick();
    const escalations = (await outgoing()).filter((message) => message.kind === 'marac-escalation');
    expect(
      escalations
        .map((message) => [message.recipientMailboxId, message.body.overdueMailboxId])
        .sort(),
    ).toEqual([
      ['education-escalation', 'school-990101-dsl'],
      ['education-escalation', 'school-990102-dsl'],
      ['social-care-escalation', 'mash'],
    ]);
    expect(new Set(escalations.map((message) => message.correlationId)).size).toBe(3);
    expect(escalations.every((message) => message.state === 'sent')).toBe(true);
    const sent = await eventually(
      async () => {
        const found = (await sealed()).filter(
          (envelope) =>
            envelope.type === 'uk.safeguarding.exchange.marac-escalation' &&
            envelope.body.caseId === caseId,
        );
        return found.length === 3 ? found : undefined;
      },
      { what: 'the three escalations sealed to the hub' },
    );
    expect(sent.map((envelope) => envelope.jti).sort()).toEqual(
      escalations.map((message) => message.messageId).sort(),
    );
  });

  it('takes a late answer and marks it late', async () => {
    at('2026-03-17T14:00:00Z');
    await deliver(
      MARAC_INFORMATION_RESPONSE_VIEW,
      research('northshire-education', 'school-990101-dsl'),
    );
    const current = await packWhen(
      (pack) => (pack.notAnswered as unknown[]).length === 2,
      'the late answer in the pack',
    );
    const school = (
      current.agencies as unknown as { mailboxId: string; response: { late: boolean } }[]
    ).find((entry) => entry.mailboxId === 'school-990101-dsl');
    expect(school?.response.late).toBe(true);
  });

  it("collates the pack: every agency's answer, who has not answered, who is overdue", async () => {
    const pack = (await get(`/cases/${caseId}/pack`, coordinator)).body;
    expect(pack.case).toMatchObject({ caseId, victimRef, dashTotal: 15, repeat: false });
    const answered = pack.agencies
      .filter((entry: { response: unknown }) => entry.response)
      .map((entry: { mailboxId: string; response: { late: boolean } }) => [
        entry.mailboxId,
        entry.response.late,
      ]);
    expect(answered).toEqual(
      expect.arrayContaining([
        ['police-safeguarding-hub', false],
        ['health-visiting', false],
        ['school-990101-dsl', true],
      ]),
    );
    expect(answered).toHaveLength(3);
    expect(pack.notAnswered).toEqual([
      { agencyId: 'northshire-childrens-social-care', mailboxId: 'mash' },
      { agencyId: 'northshire-education', mailboxId: 'school-990102-dsl' },
    ]);
    expect(pack.overdue).toEqual([
      {
        agencyId: 'northshire-childrens-social-care',
        mailboxId: 'mash',
        escalatedAt: '2026-03-17T09:00:00.000Z',
      },
      {
        agencyId: 'northshire-education',
        mailboxId: 'school-990102-dsl',
        escalatedAt: '2026-03-17T09:00:00.000Z',
      },
    ]);
    const police = pack.agencies.find(
      (entry: { mailboxId: string }) => entry.mailboxId === 'police-safeguarding-hub',
    );
    expect(police.response.form.knownRisks).toEqual({
      facts: 'Threats to kill recorded on 1 March.',
      opinion: 'Escalating.',
    });
    expect((await get(`/cases/${caseId}/pack`, agencySystem)).status).toBe(403);
  });

  it('lists the meeting on the calendar, its agenda with the risk basis, and its research tracker by agency name', async () => {
    const meetings = await get('/meetings', coordinator);
    expect(meetings.status).toBe(200);
    const meeting = (meetings.body as { date: string }[]).find((m) => m.date === '2026-03-19');
    expect(meeting).toMatchObject({
      startsAt: '2026-03-19T10:00:00.000Z',
      responsesDueAt: '2026-03-17T00:00:00.000Z',
      cases: expect.any(Number),
      overdue: expect.any(Number),
    });
    // The meeting new referrals go to now (17 March) is the next one, listed even with no case.
    expect(meetings.body).toContainEqual(
      expect.objectContaining({ date: '2026-04-02', next: true }),
    );

    const agenda = await get('/meetings/2026-03-19', coordinator);
    expect(agenda.status).toBe(200);
    expect(agenda.body.agencies.slice(0, 4)).toEqual([
      { agencyId: 'northshire-police', agencyName: 'Northshire Police' },
      {
        agencyId: 'northshire-community-health',
        agencyName: 'Northshire Community Health NHS Trust',
      },
      {
        agencyId: 'northshire-childrens-social-care',
        agencyName: "Northshire County Council, Children's Social Care",
      },
      { agencyId: 'northshire-education', agencyName: 'Northshire County Council, Education' },
    ]);
    const listed = agenda.body.cases.find((entry: { caseId: string }) => entry.caseId === caseId);
    expect(listed).toMatchObject({
      victimRef,
      repeat: false,
      criterion: 'visible-high-risk',
      dashTotal: 15,
      dashTotalComputed: true,
      referringAgencyName: 'Northshire Police',
    });
    const standings = Object.fromEntries(
      listed.research.map((cell: { mailboxId: string; standing: string }) => [
        cell.mailboxId,
        cell.standing,
      ]),
    );
    expect(standings).toEqual({
      'police-safeguarding-hub': 'answered',
      'health-visiting': 'answered',
      'school-990101-dsl': 'answered-late',
      'school-990102-dsl': 'overdue',
      mash: 'overdue',
    });
    const mash = listed.research.find((cell: { mailboxId: string }) => cell.mailboxId === 'mash');
    expect(mash).toMatchObject({
      agencyName: "Northshire County Council, Children's Social Care",
      mailboxName: 'Northshire Multi-Agency Safeguarding Hub (MASH)',
      dueAt: '2026-03-17T00:00:00.000Z',
      answeredAt: null,
      escalatedAt: '2026-03-17T09:00:00.000Z',
      sentAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });

    const bad = await get('/meetings/2026-02-30', coordinator);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(['date: must be a calendar date YYYY-MM-DD']);
    expect((await get('/meetings', agencySystem)).status).toBe(403);
    expect((await get('/meetings/2026-03-19', mailboxUser)).status).toBe(403);
  });

  it('gives the pack in words as the documents print it: names, London times, facts apart from opinion', async () => {
    const readable = await get(`/cases/${caseId}/pack/readable`, coordinator);
    expect(readable.status).toBe(200);
    expect(readable.body.marking).toBe('OFFICIAL-SENSITIVE');
    expect(readable.body.meeting).toBe('19 March 2026 at 10:00am');
    const police = readable.body.agencies.find(
      (agency: { mailboxId: string }) => agency.mailboxId === 'police-safeguarding-hub',
    );
    expect(police).toMatchObject({
      agencyId: 'northshire-police',
      heading: 'Northshire Police — Northshire Police Safeguarding Hub',
    });
    expect(police.answers).toContainEqual({
      title: 'Known risks',
      facts: 'Threats to kill recorded on 1 March.',
      opinion: 'Escalating.',
    });
    expect(readable.body.notAnswered).toContain(
      "Northshire County Council, Children's Social Care — Northshire Multi-Agency Safeguarding Hub (MASH)",
    );
    expect(readable.body.earlierReferrals).toEqual([]);
    expect((await get(`/cases/${caseId}/pack/readable`, agencySystem)).status).toBe(403);
  });

  it('finding 9: stores the research answers sealed at rest; answers stored in clear before are sealed at start-up; the pack still reads both', async () => {
    const canaries = ['Threats to kill recorded on 1 March.', 'Victim appears isolated.'];
    const raw = async () =>
      (
        (await db.query('SELECT form FROM research_response WHERE case_id = $1', [caseId])) as {
          form: string;
        }[]
      ).map((row) => row.form);
    const stored = await raw();
    expect(stored).toHaveLength(3);
    for (const value of stored) {
      expect(isSealedAtRest(value)).toBe(true);
      for (const canary of canaries) expect(value).not.toContain(canary);
    }

    // An answer as it was stored before sealing (the migration left it as its JSON text).
    const [{ id }] = await db.query(
      `SELECT s.id FROM research_response s JOIN information_request r ON r.id = s.request_id
        WHERE s.case_id = $1 AND r.mailbox_id = 'police-safeguarding-hub'`,
      [caseId],
    );
    const [{ form: original }] = await db.query(
      'SELECT form FROM research_response WHERE id = $1',
      [id],
    );
    const sealer = marac.app.get(AtRestSealer);
    const legacy = JSON.stringify({
      ...JSON.parse(await sealer.open(original)),
      knownRisks: { facts: 'Legacy canary in clear.' },
    });
    await db.query('UPDATE research_response SET form = $2 WHERE id = $1', [id, legacy]);
    const readLegacy = async () =>
      (await get(`/cases/${caseId}/pack`, coordinator)).body.agencies.find(
        (entry: { mailboxId: string }) => entry.mailboxId === 'police-safeguarding-hub',
      ).response.form.knownRisks;
    expect(await readLegacy()).toEqual({ facts: 'Legacy canary in clear.' });
    // Its own call, or the start-up pass if that is still running: either seals it once.
    await sealer.sealLegacyRows();
    expect((await raw()).join('\n')).not.toContain('Legacy canary in clear.');
    expect(await readLegacy()).toEqual({ facts: 'Legacy canary in clear.' });

    // The police answer as the later tests expect it.
    await db.query('UPDATE research_response SET form = $2 WHERE id = $1', [id, original]);
  });

  it('exports the pack as printable HTML with every value escaped and no script', async () => {
    const response = await get(`/cases/${caseId}/pack.html`, coordinator);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
    const html = response.text;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const section of ['case', 'children', 'completeness', 'research', 'actions']) {
      expect(html).toContain(`<section id="${section}">`);
    }
    expect(html).toContain(victimRef);
    expect(html).toContain('3 of 5 agencies have answered');
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Police &lt;script&gt;alert(1)&lt;/script&gt; log');
    expect(html).not.toMatch(/<[^>]*\s(src|href)=/i);
  });

  it('exports the same pack as a PDF marked OFFICIAL-SENSITIVE, naming agencies, in London time', async () => {
    const response = await get(`/cases/${caseId}/pack.pdf`, coordinator)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['cache-control']).toBe('no-store');
    const text = pdfText(response.body as Buffer);
    expect(text.match(/OFFICIAL-SENSITIVE/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/Produced on \d{1,2} [A-Z][a-z]+ \d{4} at /);
    expect(text).toContain('3 of 5 agencies have answered');
    expect(text).toContain('Northshire Police — ');
    expect(text).toContain(victimRef);
    expect(text).toContain('Police <script>alert(1)</script> log');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    // Without the coordinator's role, nothing.
    expect((await get(`/cases/${caseId}/pack.pdf`, mailboxUser)).status).toBe(403);
  });

  let policeAction: string;
  let schoolAction: string;

  it('records the meeting actions for case members only and sends each to its owner', async () => {
    at('2026-03-19T12:00:00Z');
    const ambiguous = await post(`/cases/${caseId}/actions`, coordinator, {
      actions: [
        {
          ownerAgencyId: 'northshire-education',
          description: 'Monitor attendance',
          dueDate: '2026-04-02',
        },
      ],
    });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.message).toEqual([
      'actions.0.ownerMailboxId: the agency has several mailboxes on this case: name the one that owns the action',
    ]);
    const outsider = await post(`/cases/${caseId}/actions`, coordinator, {
      actions: [
        { ownerAgencyId: 'northshire-homes', description: 'Rehouse', dueDate: '2026-04-02' },
      ],
    });
    expect(outsider.status).toBe(403);
    expect(outsider.body.message).toEqual([
      "actions.0.ownerAgencyId: is not a member of this case's MARAC",
    ]);

    const response = await post(`/cases/${caseId}/actions`, coordinator, {
      actions: [
        {
          ownerAgencyId: 'northshire-police',
          description: 'Flag the address for a priority response',
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
    expect(response.body).toEqual([
      expect.objectContaining({
        ownerMailboxId: 'police-safeguarding-hub',
        dueDate: '2026-03-26',
        dueAt: '2026-03-27T00:00:00.000Z',
      }),
      // 2 April 2026 is in summer time: the end of the day is 23:00 UTC.
      expect.objectContaining({
        ownerMailboxId: 'school-990101-dsl',
        dueDate: '2026-04-02',
        dueAt: '2026-04-02T23:00:00.000Z',
      }),
    ]);
    [policeAction, schoolAction] = response.body.map(
      (action: { actionId: string }) => action.actionId,
    );
    const actions = (await outgoing()).filter((message) => message.kind === 'marac-action');
    expect(actions.map((message) => message.recipientMailboxId).sort()).toEqual([
      'police-safeguarding-hub',
      'school-990101-dsl',
    ]);
    const sent = await eventually(
      async () =>
        (await sealed()).find(
          (envelope) =>
            envelope.type === 'uk.safeguarding.exchange.marac-action' &&
            envelope.body.actionId === policeAction,
        ),
      { what: 'the police action sealed to the hub' },
    );
    expect(sent.body).toMatchObject({
      caseId,
      recipientAgencyId: 'northshire-police',
      recipientMailboxId: 'police-safeguarding-hub',
      description: 'Flag the address for a priority response',
      dueAt: '2026-03-27T00:00:00.000Z',
    });
  });

  it('lets the owning agency alone acknowledge and update its action', async () => {
    const other = await deliver(
      MARAC_ACTION_UPDATE_VIEW,
      update(policeAction, 'northshire-childrens-social-care', 'mash', 'acknowledged'),
    );
    expect(await refusalOf(other)).toMatchObject({ errorCode: 'NOT_ACTION_OWNER' });

    await deliver(
      MARAC_ACTION_UPDATE_VIEW,
      update(policeAction, 'northshire-police', 'police-safeguarding-hub', 'acknowledged'),
    );
    const acknowledged = await packWhen(
      (current) =>
        (current.actions as unknown as { actionId: string; state: string }[]).some(
          (action) => action.actionId === policeAction && action.state === 'acknowledged',
        ),
      'the acknowledgement',
    );
    expect(
      (acknowledged.actions as unknown as { actionId: string }[]).find(
        (action) => action.actionId === policeAction,
      ),
    ).toMatchObject({ state: 'acknowledged', acknowledgedAt: '2026-03-19T12:00:00.000Z' });

    at('2026-03-23T10:00:00Z');
    await deliver(
      MARAC_ACTION_UPDATE_VIEW,
      update(
        policeAction,
        'northshire-police',
        'police-safeguarding-hub',
        'in-progress',
        'Marker requested from the control room.',
      ),
    );
    const updated = await packWhen(
      (current) =>
        (current.actions as unknown as { actionId: string; state: string }[]).some(
          (action) => action.actionId === policeAction && action.state === 'in-progress',
        ),
      'the update',
    );
    // Finding 9: the description and the note are sealed at rest, and read back in the pack.
    expect(
      (
        updated.actions as unknown as {
          actionId: string;
          description: string;
          updates: { note: string }[];
        }[]
      ).find((action) => action.actionId === policeAction),
    ).toMatchObject({
      description: 'Flag the address for a priority response',
      updates: expect.arrayContaining([
        expect.objectContaining({ note: 'Marker requested from the control room.' }),
      ]),
    });
    const [raw] = await db.query(
      `SELECT a::text AS action, (SELECT string_agg(u::text, ' ') FROM action_update u
         WHERE u.action_id = a.id) AS updates FROM marac_action a WHERE a.id = $1`,
      [policeAction],
    );
    expect(raw.action).not.toContain('Flag the address');
    expect(raw.updates).not.toContain('Marker requested');
  });

  it('escalates an overdue action once, and closes it when completed', async () => {
    at('2026-03-30T09:00:00Z');
    await job.tick();
    await job.tick();
    const escalations = (await outgoing()).filter(
      (message) => message.kind === 'marac-escalation' && message.body.about === 'action',
    );
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({
      correlationId: policeAction,
      recipientAgencyId: 'northshire-police',
      recipientMailboxId: 'police-escalation',
    });

    await deliver(
      MARAC_ACTION_UPDATE_VIEW,
      update(
        policeAction,
        'northshire-police',
        'police-safeguarding-hub',
        'completed',
        'Marker in place.',
      ),
    );
    await packWhen(
      (current) =>
        (current.actions as unknown as { actionId: string; state: string }[]).some(
          (action) => action.actionId === policeAction && action.state === 'completed',
        ),
      'the completion',
    );
    const after = await deliver(
      MARAC_ACTION_UPDATE_VIEW,
      update(policeAction, 'northshire-police', 'police-safeguarding-hub', 'in-progress', 'again'),
    );
    expect(await refusalOf(after)).toMatchObject({ errorCode: 'ACTION_CLOSED' });

    const pack = (await get(`/cases/${caseId}/pack`, coordinator)).body;
    const actions = Object.fromEntries(
      pack.actions.map((action: { actionId: string }) => [action.actionId, action]),
    );
    expect(actions[policeAction]).toMatchObject({
      state: 'completed',
      overdue: false,
      escalatedAt: '2026-03-30T09:00:00.000Z',
      updates: [
        expect.objectContaining({ status: 'in-progress' }),
        expect.objectContaining({ status: 'completed' }),
      ],
    });
    expect(actions[schoolAction]).toMatchObject({
      state: 'open',
      overdue: false,
      escalatedAt: null,
    });
  });

  it('detects a second referral for the same victim within 12 months as a repeat', async () => {
    at('2026-09-01T09:00:00Z');
    const { referralId } = await deliverReferral({
      referringAgencyId: 'northshire-community-health',
      criterion: 'professional-judgement',
      dashAnswers: dash(8),
      professionalJudgementReason: 'Disclosure at an antenatal appointment.',
      lawfulBasis: 'dpa2018-sch1-para18',
    });
    const [repeat] = await eventually(
      async () => {
        const rows = (await db.query('SELECT id FROM marac_case WHERE referral_id = $1', [
          referralId,
        ])) as { id: string }[];
        return rows.length ? rows : undefined;
      },
      { what: 'the repeat referral listed' },
    );
    const detail = await get(`/cases/${repeat.id}`, coordinator);
    expect(detail.body).toMatchObject({
      repeat: true,
      previousCaseId: caseId,
      dashTotal: 8,
      criterion: 'professional-judgement',
      professionalJudgementReason: 'Disclosure at an antenatal appointment.',
    });
    // Finding 9: the reason is sealed at rest.
    const [stored] = await db.query(
      'SELECT marac_case::text AS row FROM marac_case WHERE id = $1',
      [repeat.id],
    );
    expect(stored.row).not.toContain('antenatal');
    // So are the DASH answers (read back whole) and the views it sent for the case.
    expect(detail.body.dashAnswers).toEqual(dash(8));
    expect(stored.row).not.toMatch(/"yes"|"no"/);
    const views: { body: string }[] = await db.query(
      'SELECT body FROM outgoing_message WHERE case_id = $1',
      [repeat.id],
    );
    expect(views.length).toBeGreaterThan(0);
    for (const view of views) expect(isSealedAtRest(view.body)).toBe(true);
    expect((await outgoing(repeat.id)).length).toBe(views.length);
    // The history the meeting weighs: the earlier referral, in the pack's words too.
    expect(detail.body.earlierReferrals).toEqual([
      expect.objectContaining({
        caseId,
        referringAgencyId: 'northshire-police',
        criterion: 'visible-high-risk',
        meetingDate: '2026-03-19',
      }),
    ]);
    const history = (await get(`/cases/${repeat.id}/pack/readable`, coordinator)).body;
    expect(history.earlierReferrals).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Referred on 2 March 2026 at 9:00am by Northshire Police: Visible high risk \\(DASH score 14 or more\\), DASH total 15; listed for the meeting of 19 March 2026 \\(case ${caseId}\\)\\.$`,
        ),
      ),
    ]);

    // Claimed as a repeat, it is now accepted: the history shows one.
    const claimed = await post(
      '/referrals',
      coordinator,
      referral({ criterion: 'repeat', dashAnswers: dash(4) }),
    );
    expect(claimed.status).toBe(201);
    expect(claimed.body.repeat).toBe(true);
  });

  it('does not count a referral more than 12 months old', async () => {
    at('2027-09-02T09:00:00Z');
    const response = await post(
      '/referrals',
      coordinator,
      referral({ criterion: 'repeat', dashAnswers: dash(4) }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('CRITERION_NOT_MET');
    // The same through the hub: refused on arrival, kept for the coordinator, nothing listed.
    const { referralId, messageId } = await deliverReferral({
      criterion: 'repeat',
      dashAnswers: dash(4),
    });
    expect(await refusalOf(messageId)).toMatchObject({ errorCode: 'CRITERION_NOT_MET' });
    // The referrer is told why, in the refusal's transaction: the code and the rule, no value.
    const envelope = await decisionSealed(referralId);
    expect(envelope).toMatchObject({ iss: 'marac', sub: referralId });
    expect(envelope.body).toEqual({
      referralId,
      decision: 'refused',
      reasonCode: 'CRITERION_NOT_MET',
      reason:
        'criterion: repeat needs a previous MARAC referral for the same victim within 12 months; none is recorded',
      decidedAt: '2027-09-02T09:00:00.000Z',
      lawfulBasis: 'dpa2018-sch1-para18',
    });
    const refused = await get('/referrals/refused', coordinator);
    expect(refused.status).toBe(200);
    expect(refused.body).toContainEqual(
      expect.objectContaining({
        referralId,
        referringAgencyId: 'northshire-police',
        code: 'CRITERION_NOT_MET',
        field: 'criterion',
        toldReferrer: {
          messageId: envelope.jti,
          mailboxId: 'police-safeguarding-hub',
          state: 'sent',
          deliveredAt: null,
          refusalCode: null,
        },
      }),
    );
    const [{ n }] = (await db.query(
      'SELECT count(*)::int AS n FROM marac_case WHERE referral_id = $1',
      [referralId],
    )) as { n: number }[];
    expect(n).toBe(0);
  });

  it('publishes the case history to the audit trail through the outbox, metadata only', async () => {
    const events = await eventually(
      async () => {
        const found = auditTopic.records
          .map((record) => auditEventOf(record.value))
          .filter((event) => event.actor === 'marac' && event.subjectRef === victimRef);
        const actions = new Set(found.map((event) => event.action));
        return ['submitted', 'marac-request', 'marac-response', 'escalated', 'acknowledged'].every(
          (a) => actions.has(a),
        )
          ? found
          : undefined;
      },
      { what: 'the MARAC audit events on the audit topic' },
    );
    // Free text (research, action descriptions) never reaches the trail.
    const trail = JSON.stringify(events);
    for (const text of [
      'Known to us since 2024.',
      'Victim appears isolated.',
      'Threats to kill recorded on 1 March.',
      'Flag the address for a priority response',
    ]) {
      expect(trail).not.toContain(text);
    }
  });
});
