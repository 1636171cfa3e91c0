/**
 * Issue 16 item 4, the canary test: distinctive values are sent through the journeys — a domestic
 * abuse incident read and acknowledged by the school, a missing episode and its return home
 * interview, a school's referral and the MASH's outcome, a withdrawal of consent, a MARAC referral
 * with an agency's research and the meeting's actions — and then
 * searched for, in plain, base64 and base64url form, in every record of every Kafka topic (value,
 * key and headers), every service's log lines, every /metrics body, what the audit API answers,
 * and every row of every table of the database. A hit anywhere fails the test, unless the store
 * is one docs/architecture.md ("Personal data at rest") lists as holding personal data in clear,
 * with the reason (PERSONAL_DATA_STORES below mirrors that list).
 * Real: Kafka, PostgreSQL, the hub, audit, the four agency nodes and the MARAC as Nest apps, their pino
 * loggers writing to one file (LOG_DESTINATION); the demo area's registry (seeded by npm test).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ENCOMPASS_VIEW, REFERRAL_VIEW, Topics, deliveryTopic } from '@app/contracts';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { RawTopicReader } from '../support/raw-topic-reader';
import { registerNodeKeys } from '../support/registry-fixtures';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(300_000);

// A school of this run's own, so rows of earlier runs (sealed to their keys) are not in its lists.
const SCHOOL_URN = String(randomInt(1_000_000, 9_999_999));
const SCHOOL = `school-${SCHOOL_URN}-dsl`;
const MASH = 'mash';

/**
 * Tables docs/architecture.md ("Personal data at rest") lists as holding a journey's personal
 * data in clear: none since the MARAC's copies of the views it sent are sealed too.
 */
const PERSONAL_DATA_STORES: string[] = [];

/** Fails with what the API said, not only its status. */
function answered(response: request.Response, status: number): void {
  if (response.status !== status) {
    throw new Error(`answered ${response.status}, not ${status}: ${JSON.stringify(response.body)}`);
  }
}

/** Letters only, so a canary passes every name and text rule; long enough to be unmistakable. */
const canaryWord = () =>
  `Qz${[...randomBytes(12)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;

/** The canary as it would look base64- or base64url-encoded inside a longer value. */
function encodedForms(canary: string): string[] {
  const forms = [canary];
  for (let offset = 0; offset < 3; offset++) {
    const base64 = Buffer.from(`${'x'.repeat(offset)}${canary}`).toString('base64');
    // Drop the groups the padding and the unknown neighbours share with the canary.
    const middle = base64.slice(offset === 0 ? 0 : 4, -4);
    forms.push(middle, middle.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

describe('canaries sent through every journey appear in no topic, log, metric, audit answer or table', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-canary-keys-'));
  const logDir = mkdtempSync(path.join(tmpdir(), 'sgx-canary-logs-'));
  const logFile = path.join(logDir, 'services.log');
  const services: Record<string, RunningService> = {};
  const topics = [
    Topics.submissions,
    Topics.receipts,
    Topics.auditEvents,
    Topics.quarantine,
    Topics.deadLetter,
    ...['police', 'education', 'health', 'social-care', 'marac'].map((node) => deliveryTopic(node)),
  ];
  const readers = topics.map((topic) => ({ topic, reader: new RawTopicReader(topic) }));
  const canaries = {
    childFirst: canaryWord(),
    childLast: canaryWord(),
    voice: canaryWord(),
    location: canaryWord(),
    circumstances: canaryWord(),
    missingChild: canaryWord(),
    missingCircumstances: canaryWord(),
    childsAccount: canaryWord(),
    referredChild: canaryWord(),
    concerns: canaryWord(),
    parent: canaryWord(),
    nextSteps: canaryWord(),
    withdrawnBy: canaryWord(),
    withdrawalNote: canaryWord(),
    researchFacts: canaryWord(),
    researchOpinion: canaryWord(),
    risks: canaryWord(),
    actionDescription: canaryWord(),
  };
  const auditAnswers: string[] = [];
  const messageIds: string[] = [];

  const system = (agency: string) =>
    issuer.token({ roles: ['agency-system'], agency, subject: `${agency}-system` });
  const person = (mailbox: string) =>
    issuer.token({ roles: ['mailbox-user'], mailboxes: [mailbox], subject: `${mailbox}-person` });

  beforeAll(async () => {
    await issuer.start();
    const hubPort = await freePort();
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`,
      AUDIT_REGISTRY_URL: `http://127.0.0.1:${hubPort}/.well-known/nodes/`,
      OUTBOX_POLL_INTERVAL_MS: '200',
      LOG_DESTINATION: logFile,
    });
    services.hub = await startService(HubModule, hubPort);
    const hubDb = services.hub.app.get(DataSource);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, 'education', 'designated-safeguarding-lead', 'Canary School DSL', $2)`,
      [SCHOOL, SCHOOL_URN],
    );
    for (const nodeId of ['hub', 'police', 'education', 'health', 'social-care', 'marac']) {
      await registerNodeKeys(hubDb, keysDir, nodeId);
    }
    const [police, education, health, socialCare, marac, audit] = await Promise.all([
      startService(PoliceModule),
      startService(EducationModule),
      startService(HealthModule),
      startService(SocialCareModule),
      startService(MaracModule),
      startService(AuditModule),
    ]);
    Object.assign(services, { police, education, health, socialCare, marac, audit });
    await Promise.all(readers.map(({ reader }) => reader.start()));
  });

  afterAll(async () => {
    await Promise.all(readers.map(({ reader }) => reader.stop()));
    await Promise.all(Object.values(services).map((service) => service.app.close()));
    await issuer.stop();
    delete process.env.LOG_DESTINATION;
    rmSync(keysDir, { recursive: true, force: true });
    if (!process.env.KEEP_LOGS) rmSync(logDir, { recursive: true, force: true });
  });

  /** The mailbox's items of a type, read one by one (which the trail records as reads). */
  async function readAll(node: RunningService, mailbox: string, type: string) {
    const token = await person(mailbox);
    const list = await request(node.url)
      .get(`/mailboxes/${mailbox}/notifications`)
      .set('Authorization', `Bearer ${token}`);
    answered(list, 200);
    const read: { messageId: string; notification: Record<string, unknown> }[] = [];
    for (const item of list.body as { messageId: string; type: string }[]) {
      if (item.type !== type) continue;
      const one = await request(node.url)
        .get(`/mailboxes/${mailbox}/notifications/${item.messageId}`)
        .set('Authorization', `Bearer ${token}`);
      // Items of earlier runs are sealed to keys this run does not hold.
      if (one.status === 200) read.push({ messageId: item.messageId, ...one.body });
    }
    return read;
  }

  it('carries the journeys through', async () => {
    const police = await system('northshire-police');

    // A domestic abuse incident: the school reads and acknowledges it.
    const incident = await request(services.police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${police}`)
      .send({
        policeReference: `NP-${randomBytes(4).toString('hex')}`,
        occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
        location: `12 ${canaries.location} Road, Northtown`,
        children: [
          {
            name: `${canaries.childFirst} ${canaries.childLast}`,
            dateOfBirth: '2016-04-12',
            schoolUrn: SCHOOL_URN,
            presence: 'witnessing',
            voiceOfChild: `Said ${canaries.voice}`,
          },
        ],
        riskLevel: 'high',
        circumstances: `Argument at home, ${canaries.circumstances}`,
        actionsTaken: 'Suspect arrested',
        consent: { position: 'not-sought' },
        lawfulBasis: 'dpa2018-sch8-para4',
        safeguardingJustification: 'asking-would-put-someone-at-risk',
        familyInformed: false,
      });
    answered(incident, 202);
    const schoolItem = await eventually(
      async () =>
        (await readAll(services.education, SCHOOL, ENCOMPASS_VIEW.type)).find((item) =>
          JSON.stringify(item).includes(canaries.childFirst),
        ),
      { what: 'the incident in the school mailbox', timeoutMs: 90_000 },
    );
    messageIds.push(schoolItem.messageId);
    const ack = await request(services.education.url)
      .post(`/mailboxes/${SCHOOL}/notifications/${schoolItem.messageId}/acknowledge`)
      .set('Authorization', `Bearer ${await person(SCHOOL)}`);
    answered(ack, 200);

    // A missing episode, and the return home interview the MASH records.
    const episodeId = randomUUID();
    const missing = await request(services.police.url)
      .post('/missing-episodes')
      .set('Authorization', `Bearer ${police}`)
      .send({
        episodeId,
        reporterMailboxId: 'police-safeguarding-hub',
        reporterReference: `NP-MISPER-${randomBytes(2).toString('hex')}`,
        kind: 'from-care',
        child: {
          name: `${canaries.missingChild} Example`,
          dateOfBirth: '2011-05-02',
          schoolUrn: '990102',
        },
        status: 'found',
        startedAt: new Date(Date.now() - 7_200_000).toISOString(),
        foundAt: new Date(Date.now() - 600_000).toISOString(),
        riskGrading: 'high',
        exploitationIndicators: ['county-lines'],
        episodesInLast90Days: 1,
        circumstances: `Did not come home, ${canaries.missingCircumstances}`,
        consent: { position: 'not-sought' },
        lawfulBasis: 'dpa2018-sch8-para4',
        safeguardingJustification: 'asking-would-put-someone-at-risk',
        familyInformed: false,
      });
    answered(missing, 202);
    const careSystem = await system('northshire-childrens-social-care');
    await eventually(
      async () => {
        const interview = await request(services.socialCare.url)
          .post(`/missing-episodes/${episodeId}/return-home-interview`)
          .set('Authorization', `Bearer ${careSystem}`)
          .send({
            outcome: 'held',
            heldAt: new Date().toISOString(),
            conductedBy: {
              by: 'commissioned-provider',
              providerName: 'Northshire Return Interviews',
            },
            exploitationDisclosed: ['county-lines'],
            concerns: 'Pressured by older youths',
            childsAccount: `They said ${canaries.childsAccount}`,
            nextSteps: 'Strategy discussion',
            lawfulBasis: 'dpa2018-sch1-para18',
          });
        return interview.status === 202 ? true : undefined;
      },
      { what: 'the return home interview recorded', timeoutMs: 90_000 },
    );

    // A school's referral to the MASH, and its outcome.
    const referral = await request(services.education.url)
      .post(`/mailboxes/${SCHOOL}/referrals`)
      .set('Authorization', `Bearer ${await person(SCHOOL)}`)
      .send({
        child: {
          name: `${canaries.referredChild} Example`,
          dateOfBirth: '2015-04-12',
          gender: 'female',
          schoolOrSetting: 'Canary School',
        },
        family: [{ name: `${canaries.parent} Example`, relationship: 'mother' }],
        concerns: `Unexplained bruising, ${canaries.concerns}`,
        actionsTaken: 'Spoke with the child',
        referrerContact: { name: 'Dana Shaw', role: 'Designated safeguarding lead' },
        riskLevel: 'high',
        consent: { position: 'given', by: 'the mother', at: new Date().toISOString() },
        lawfulBasis: 'dpa2018-sch1-para18',
        familyInformed: true,
      });
    answered(referral, 202);
    const { referralId } = referral.body as { referralId: string };
    const mashItem = await eventually(
      async () =>
        (await readAll(services.socialCare, MASH, REFERRAL_VIEW.type)).find(
          (item) => item.notification?.referralId === referralId,
        ),
      { what: 'the referral in the MASH mailbox', timeoutMs: 90_000 },
    );
    messageIds.push(mashItem.messageId);
    const outcome = await request(services.socialCare.url)
      .post(`/mailboxes/${MASH}/referrals/${referralId}/outcome`)
      .set('Authorization', `Bearer ${await person(MASH)}`)
      .send({
        outcome: 'child-in-need-assessment',
        nextSteps: `Assessment, ${canaries.nextSteps}`,
      });
    answered(outcome, 202);
    await eventually(
      async () => {
        const list = await request(services.education.url)
          .get(`/mailboxes/${SCHOOL}/referrals`)
          .set('Authorization', `Bearer ${await person(SCHOOL)}`);
        answered(list, 200);
        const found = (list.body as { referralId: string; status: string }[]).find(
          (r) => r.referralId === referralId,
        );
        return found?.status === 'outcome-received' ? found : undefined;
      },
      { what: 'the outcome back at the school', timeoutMs: 90_000 },
    );
    const referred = (await request(services.education.url)
      .get(`/mailboxes/${SCHOOL}/referrals`)
      .set('Authorization', `Bearer ${await person(SCHOOL)}`)
      .then((answer) => answer.body)) as { referralId: string; subjectRef: string }[];
    const subjectRef = referred.find((r) => r.referralId === referralId)!.subjectRef;

    // A withdrawal of consent for the referred child.
    const withdrawal = await request(services.education.url)
      .post('/consent-withdrawals')
      .set('Authorization', `Bearer ${await system('northshire-education')}`)
      .send({
        subjectRef,
        withdrawnBy: `${canaries.withdrawnBy} (mother)`,
        withdrawnAt: new Date(Date.now() - 60_000).toISOString(),
        note: `Told the office, ${canaries.withdrawalNote}`,
      });
    answered(withdrawal, 202);

    // A MARAC referral: health answers the research request, the meeting records an action.
    const maracReferral = await request(services.police.url)
      .post('/marac/referrals')
      .set('Authorization', `Bearer ${police}`)
      .send({
        referringAgencyId: 'northshire-police',
        referrerMailboxId: 'police-safeguarding-hub',
        victimRef: randomUUID(),
        perpetratorRef: randomUUID(),
        criterion: 'visible-high-risk',
        dashAnswers: Array.from({ length: 24 }, (_, index) => (index < 15 ? 'yes' : 'no')),
        consent: { position: 'not-sought' },
        lawfulBasis: 'dpa2018-sch8-para4',
        safeguardingJustification: 'asking-would-put-someone-at-risk',
        familyInformed: false,
      });
    answered(maracReferral, 202);
    const { referralId: maracReferralId } = maracReferral.body as { referralId: string };
    const caseId = await eventually(
      async () => {
        const [found] = (await services.marac.app
          .get(DataSource)
          .query('SELECT id FROM marac_case WHERE referral_id = $1', [maracReferralId])) as {
          id: string;
        }[];
        return found?.id;
      },
      { what: 'the MARAC case for the referral', timeoutMs: 90_000 },
    );
    const healthPerson = await person('health-visiting');
    const researchRequest = await eventually(
      async () => {
        const work = await request(services.health.url)
          .get('/mailboxes/health-visiting/marac')
          .set('Authorization', `Bearer ${healthPerson}`);
        const requests = (
          work.body as { requests?: { requestId: string; caseId: string; answered: boolean }[] }
        ).requests;
        return requests?.find((item) => !item.answered && item.caseId === caseId);
      },
      { what: 'the MARAC research request at health', timeoutMs: 90_000 },
    );
    const research = await request(services.health.url)
      .post(`/mailboxes/health-visiting/marac/requests/${researchRequest.requestId}/response`)
      .set('Authorization', `Bearer ${healthPerson}`)
      .send({
        victimInvolvement: {
          facts: `Seen at clinic, ${canaries.researchFacts}`,
          opinion: `Worried, ${canaries.researchOpinion}`,
        },
        perpetratorInvolvement: { facts: 'Not known to us' },
        childrenInvolvement: [],
        knownRisks: { facts: `Threats, ${canaries.risks}` },
        currentActions: 'Safety planning',
        contact: 'Health visiting team',
      });
    answered(research, 202);
    const coordinator = await issuer.token({
      roles: ['marac-coordinator'],
      subject: 'canary-coordinator',
    });
    const actions = await request(services.marac.url)
      .post(`/cases/${researchRequest.caseId}/actions`)
      .set('Authorization', `Bearer ${coordinator}`)
      .send({
        actions: [
          {
            ownerAgencyId: 'northshire-community-health',
            description: `Visit, ${canaries.actionDescription}`,
            dueDate: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
          },
        ],
      });
    answered(actions, 201);
    await eventually(
      async () => {
        const pack = await request(services.marac.url)
          .get(`/cases/${researchRequest.caseId}/pack`)
          .set('Authorization', `Bearer ${coordinator}`);
        return JSON.stringify(pack.body).includes(canaries.researchFacts) ? true : undefined;
      },
      { what: 'the research in the MARAC pack', timeoutMs: 90_000 },
    );

    // What an auditor is answered about these messages.
    const auditor = await issuer.token({ roles: ['auditor'], subject: 'canary-auditor' });
    const asAuditor = (url: string) =>
      request(services.audit.url).get(url).set('Authorization', `Bearer ${auditor}`);
    await eventually(
      async () => {
        const trail = await asAuditor(`/audit/messages/${messageIds[0]}/trail`);
        return trail.status === 200 && (trail.body as unknown[]).length > 0 ? true : undefined;
      },
      { what: 'the trail of the school’s notification', timeoutMs: 60_000 },
    );
    for (const url of [
      ...messageIds.map((id) => `/audit/messages/${id}/trail`),
      '/audit/records?limit=500',
      '/audit/export',
      `/audit/metrics?from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
    ]) {
      const answer = await asAuditor(url);
      expect({ url, status: answer.status }).toEqual({ url, status: 200 });
      auditAnswers.push(answer.text);
    }
  });

  it('finds no canary outside the documented stores', async () => {
    const hits: string[] = [];
    const search = (where: string, text: string) => {
      for (const [name, canary] of Object.entries(canaries)) {
        for (const form of encodedForms(canary)) {
          if (text.includes(form))
            hits.push(`${where}: ${name}${form === canary ? '' : ' (encoded)'}`);
        }
      }
    };

    for (const { topic, reader } of readers) {
      for (const record of reader.records) {
        const headers = Object.entries(record.headers ?? {})
          .map(([key, value]) => `${key}=${String(value)}`)
          .join('\n');
        search(
          `topic ${topic}`,
          `${record.key?.toString() ?? ''}\n${record.value?.toString() ?? ''}\n${headers}`,
        );
      }
    }
    search('service logs', readFileSync(logFile, 'utf8'));
    for (const [name, service] of Object.entries(services)) {
      const metrics = await request(service.url).get('/metrics');
      search(`${name} /metrics`, metrics.text);
    }
    auditAnswers.forEach((answer, index) => search(`audit answer ${index}`, answer));

    const db = services.hub.app.get(DataSource);
    const tables = (await db.query(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE'
          AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    )) as { schema: string; name: string }[];
    expect(tables.length).toBeGreaterThan(10);
    for (const { schema, name } of tables) {
      const where = `${schema}.${name}`;
      if (PERSONAL_DATA_STORES.includes(where)) continue;
      const rows = (await db.query(`SELECT t::text AS row FROM "${schema}"."${name}" t`)) as {
        row: string;
      }[];
      for (const { row } of rows) search(`table ${where}`, row);
    }

    expect([...new Set(hits)]).toEqual([]);
  });
});
