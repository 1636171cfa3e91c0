/**
 * A whole MARAC case through the marac service's HTTP API. Real: PostgreSQL (the marac schema),
 * the marac Nest application with its auth guard (tokens from a test issuer's JWKS over HTTP),
 * its deadline job and the Kafka broker its audit events go to. Time is the service's injected
 * Clock, set by the test; the deadline job is run by calling its tick, as its interval would.
 * Not here: the hub transport (messages stop at the outgoing table, state pending-transport).
 */
import { randomUUID } from 'node:crypto';

import { Topics } from '@app/contracts';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { Clock } from '../../apps/marac/src/clock/clock';
import { DeadlineEscalationJob } from '../../apps/marac/src/deadlines/deadline-escalation.job';
import { RawTopicReader } from '../support/raw-topic-reader';
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
  body: Record<string, unknown>;
}

describe('MARAC case: referral → listing → research → pack → actions → repeat', () => {
  const issuer = new TestIssuer();
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

  const at = (iso: string) => clock.setForTest(new Date(iso));
  /** The agency a request body speaks for: its system's token must carry that agency. */
  const bodyAgency = (body: object) => {
    const b = body as {
      respondingAgencyId?: string;
      agencyId?: string;
      referringAgencyId?: string;
    };
    return b.respondingAgencyId ?? b.agencyId ?? b.referringAgencyId;
  };
  const post = async (path: string, token: string | undefined, body: object) => {
    const call = request(marac.url).post(path);
    // `agencySystem` stands for "the system of the agency this body speaks for".
    const bearer =
      token === agencySystem
        ? await issuer.token({
            roles: ['agency-system'],
            subject: 'agency-system',
            agency: bodyAgency(body),
          })
        : token;
    return (bearer ? call.set('Authorization', `Bearer ${bearer}`) : call).send(body);
  };
  const get = (path: string, token: string) =>
    request(marac.url).get(path).set('Authorization', `Bearer ${token}`);

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
    ...overrides,
  });

  const research = (agencyId: string, mailboxId: string, facts = 'Known to us since 2024.') => ({
    respondingAgencyId: agencyId,
    respondingMailboxId: mailboxId,
    victimInvolvement: { facts, opinion: 'Victim appears isolated.' },
    perpetratorInvolvement: { facts: 'Two call-outs recorded.' },
    childrenInvolvement: [{ subjectRef: children.c1, facts: 'Attendance fell in February.' }],
    knownRisks: { facts: 'Threats to kill recorded on 1 March.', opinion: 'Escalating.' },
    currentActions: 'Safety planning with the victim.',
    contact: 'Safeguarding team, secure email via the exchange',
  });

  const outgoing = async (id = caseId): Promise<Outgoing[]> => {
    const response = await get(`/cases/${id}/outgoing`, coordinator);
    expect(response.status).toBe(200);
    return response.body as Outgoing[];
  };

  let auditTopic: RawTopicReader;

  beforeAll(async () => {
    await issuer.start();
    coordinator = await issuer.token({ roles: ['marac-coordinator'], subject: 'coordinator' });
    agencySystem = await issuer.token({ roles: ['agency-system'], subject: 'agency-system' });
    mailboxUser = await issuer.token({ roles: ['mailbox-user'], mailboxes: ['mash'] });
    auditTopic = new RawTopicReader(Topics.auditEvents);
    await auditTopic.start();
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
    await auditTopic?.stop();
    await issuer.stop();
  });

  describe('refuses a referral whose criterion is not met, naming the field, and stores nothing', () => {
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
      const response = await post('/referrals', agencySystem, referral(overrides));
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
      const named = await post('/referrals', agencySystem, referral({ victimRef: 'Jane Smith' }));
      expect(named.status).toBe(400);
      expect(named.body.message).toEqual([
        'victimRef must be a pseudonymous reference (3–100 letters, digits, . _ : -)',
      ]);
      const partial = await post(
        '/referrals',
        agencySystem,
        referral({ dashAnswers: dash(20).slice(0, 20) }),
      );
      expect(partial.status).toBe(400);
      expect(partial.body.message).toEqual([
        'dashAnswers: must answer all 24 questions (yes, no or not-known)',
      ]);
    });

    it('refuses callers without a referring role', async () => {
      expect((await post('/referrals', undefined, referral())).status).toBe(401);
      expect((await post('/referrals', mailboxUser, referral())).status).toBe(403);
    });
  });

  it('accepts the referral, computes the DASH total and lists it for the next meeting', async () => {
    const response = await post('/referrals', agencySystem, referral());
    expect(response.status).toBe(201);
    caseId = response.body.caseId;
    expect(response.body).toEqual({
      caseId: expect.any(String),
      dashTotal: 15,
      dashTotalComputed: true,
      repeat: false,
      previousCaseId: null,
      meeting: {
        date: '2026-03-19',
        startsAt: '2026-03-19T10:00:00.000Z',
        // Three working days before Thursday 19 March is Monday 16 March, due by its end.
        responsesDueAt: '2026-03-17T00:00:00.000Z',
      },
      informationRequests: [
        {
          agencyId: 'northshire-police',
          mailboxId: 'police-safeguarding-hub',
          dueAt: '2026-03-17T00:00:00.000Z',
        },
        {
          agencyId: 'northshire-community-health',
          mailboxId: 'health-visiting',
          dueAt: '2026-03-17T00:00:00.000Z',
        },
        {
          agencyId: 'northshire-childrens-social-care',
          mailboxId: 'mash',
          dueAt: '2026-03-17T00:00:00.000Z',
        },
        {
          agencyId: 'northshire-education',
          mailboxId: 'school-990101-dsl',
          dueAt: '2026-03-17T00:00:00.000Z',
        },
        {
          agencyId: 'northshire-education',
          mailboxId: 'school-990102-dsl',
          dueAt: '2026-03-17T00:00:00.000Z',
        },
      ],
    });
    const listed = await get('/cases', coordinator);
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ caseId, victimRef, meetingDate: '2026-03-19', repeat: false }),
    );
    expect((await get('/cases', agencySystem)).status).toBe(403);
  });

  it('records one information request per member mailbox, waiting for the transport', async () => {
    const messages = await outgoing();
    expect(messages).toHaveLength(5);
    expect(messages.every((message) => message.kind === 'marac-information-request')).toBe(true);
    expect(messages.every((message) => message.state === 'pending-transport')).toBe(true);
    const byMailbox = Object.fromEntries(
      messages.map((message) => [message.recipientMailboxId, message]),
    );
    // A school hears of its own pupils only; the others of every child in the household.
    expect(byMailbox['school-990101-dsl'].body.childRefs).toEqual([children.c1, children.c3]);
    expect(byMailbox['school-990102-dsl'].body.childRefs).toEqual([children.c2]);
    expect(byMailbox.mash.body.childRefs).toEqual(Object.values(children));
    expect(byMailbox.mash.body).toMatchObject({
      caseId,
      victimRef,
      meetingDate: '2026-03-19',
      responsesDueAt: '2026-03-17T00:00:00.000Z',
      dashTotal: 15,
    });
  });

  it("refuses an agency's system speaking for another agency", async () => {
    at('2026-03-10T10:00:00Z');
    const healthSystem = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-nhs-trust',
    });
    const asPolice = await request(marac.url)
      .post(`/cases/${caseId}/research`)
      .set('Authorization', `Bearer ${healthSystem}`)
      .send(research('northshire-police', 'police-safeguarding-hub'));
    expect(asPolice.status).toBe(403);
    const noAgency = await issuer.token({ roles: ['agency-system'] });
    const unbound = await request(marac.url)
      .post(`/cases/${caseId}/research`)
      .set('Authorization', `Bearer ${noAgency}`)
      .send(research('northshire-police', 'police-safeguarding-hub'));
    expect(unbound.status).toBe(403);
  });

  it('takes research from the case members only, once each', async () => {
    at('2026-03-10T11:00:00Z');
    const police = await post(
      `/cases/${caseId}/research`,
      agencySystem,
      research(
        'northshire-police',
        'police-safeguarding-hub',
        'Police <script>alert(1)</script> log',
      ),
    );
    expect(police.status).toBe(201);
    expect(police.body).toMatchObject({ late: false, receivedAt: '2026-03-10T11:00:00.000Z' });
    const health = await post(
      `/cases/${caseId}/research`,
      agencySystem,
      research('northshire-community-health', 'health-visiting'),
    );
    expect(health.status).toBe(201);

    const again = await post(
      `/cases/${caseId}/research`,
      agencySystem,
      research('northshire-police', 'police-safeguarding-hub'),
    );
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('ALREADY_ANSWERED');

    const housing = await post(
      `/cases/${caseId}/research`,
      agencySystem,
      research('northshire-homes', 'mash'),
    );
    expect(housing.status).toBe(403);
    expect(housing.body.error).toBe('NOT_A_CASE_MEMBER');
    const byCoordinator = await post(
      `/cases/${caseId}/research`,
      coordinator,
      research('northshire-childrens-social-care', 'mash'),
    );
    expect(byCoordinator.status).toBe(403);
    const missingFacts = await post(`/cases/${caseId}/research`, agencySystem, {
      ...research('northshire-childrens-social-care', 'mash'),
      knownRisks: { opinion: 'only an opinion' },
    });
    expect(missingFacts.status).toBe(400);
    expect(missingFacts.body.message).toContain('knownRisks.facts should not be empty');
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
    expect(escalations.every((message) => message.state === 'pending-transport')).toBe(true);
  });

  it('takes a late answer and marks it late', async () => {
    at('2026-03-17T14:00:00Z');
    const late = await post(
      `/cases/${caseId}/research`,
      agencySystem,
      research('northshire-education', 'school-990101-dsl'),
    );
    expect(late.status).toBe(201);
    expect(late.body.late).toBe(true);
  });

  it("collates the pack: every agency's answer, who has not answered, who is overdue", async () => {
    const response = await get(`/cases/${caseId}/pack`, coordinator);
    expect(response.status).toBe(200);
    const pack = response.body;
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

  let policeAction: string;
  let schoolAction: string;

  it('records the meeting actions for case members only', async () => {
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
  });

  it('lets the owning agency alone acknowledge and update its action', async () => {
    const other = await post(`/actions/${policeAction}/acknowledge`, agencySystem, {
      agencyId: 'northshire-childrens-social-care',
    });
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('NOT_ACTION_OWNER');

    const acknowledged = await post(`/actions/${policeAction}/acknowledge`, agencySystem, {
      agencyId: 'northshire-police',
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toEqual({
      actionId: policeAction,
      state: 'acknowledged',
      acknowledgedAt: '2026-03-19T12:00:00.000Z',
    });

    at('2026-03-23T10:00:00Z');
    const update = await post(`/actions/${policeAction}/updates`, agencySystem, {
      agencyId: 'northshire-police',
      status: 'in-progress',
      note: 'Marker requested from the control room.',
    });
    expect(update.status).toBe(201);
    expect(update.body.state).toBe('in-progress');
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

    const done = await post(`/actions/${policeAction}/updates`, agencySystem, {
      agencyId: 'northshire-police',
      status: 'completed',
      note: 'Marker in place.',
    });
    expect(done.status).toBe(201);
    const after = await post(`/actions/${policeAction}/updates`, agencySystem, {
      agencyId: 'northshire-police',
      status: 'in-progress',
      note: 'again',
    });
    expect(after.status).toBe(409);

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
    const response = await post(
      '/referrals',
      agencySystem,
      referral({
        referringAgencyId: 'northshire-community-health',
        criterion: 'professional-judgement',
        dashAnswers: dash(8),
        professionalJudgementReason: 'Disclosure at an antenatal appointment.',
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ repeat: true, previousCaseId: caseId, dashTotal: 8 });
    const detail = await get(`/cases/${response.body.caseId}`, coordinator);
    expect(detail.body).toMatchObject({
      repeat: true,
      previousCaseId: caseId,
      criterion: 'professional-judgement',
    });

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
      agencySystem,
      referral({ criterion: 'repeat', dashAnswers: dash(4) }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('CRITERION_NOT_MET');
  });

  it('publishes the case history to the audit trail through the outbox, metadata only', async () => {
    const events = await eventually(
      async () => {
        const found = auditTopic.records
          .map((record) => JSON.parse(record.value!.toString()) as Record<string, unknown>)
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
    ]) {
      expect(trail).not.toContain(text);
    }
  });
});
