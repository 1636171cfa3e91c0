/**
 * The referral and outcome feedback loop, end to end, and the partnership metrics of real
 * journeys (with a domestic abuse notification from police to the school). Real: the Kafka
 * broker, PostgreSQL, the education adapter (a school refers), the police adapter (police refer
 * under Sch. 8 and notify the school), the hub, the social care adapter (the MASH decides) and the
 * audit service (partnership metrics) as Nest apps with their Kafka transport, keys in a
 * temporary KEYS_DIR, bearer tokens from a test issuer over HTTP. Faked: only the hub's clock,
 * moved forward for the overdue cases.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  DOMESTIC_ABUSE_NOTIFICATION,
  ENCOMPASS_VIEW,
  ESCALATION,
  REFERRAL,
  REFERRAL_OUTCOME,
  REFERRAL_OUTCOME_VIEW,
} from '@app/contracts';
import { Clock } from '@app/platform';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { DeadlineEscalationJob } from '../../apps/hub/src/deadlines/deadline-escalation.job';
import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { registerNodeKeys } from '../support/registry-fixtures';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(240_000);

const MASH = 'mash';
const SOCIAL_CARE_ESCALATION = 'social-care-escalation';

interface Durations {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
}

/** One (agency, type) group of GET /audit/metrics. */
interface MetricsGroup {
  agency: string;
  messageType: string;
  submissionToDelivery?: Durations;
  deliveryToAcknowledgement?: Durations & { delivered: number };
  acknowledgedBeforeDeadline?: {
    withDeadline: number;
    pending: number;
    onTime: number;
    share: number | null;
  };
  referralToOutcome?: Durations & { referrals: number; share: number };
  referralCompleteness?: { scored: number; mean: number; median: number };
  escalations?: number;
}

describe('referral loop: school to MASH and the outcome back, end to end', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-referral-keys-'));
  let hub: RunningService;
  let education: RunningService;
  let socialCare: RunningService;
  let police: RunningService;
  let audit: RunningService;
  let hubDb: DataSource;
  const urn = String(randomInt(1_000_000, 9_999_999));
  const schoolMailbox = `school-${urn}-dsl`;
  const otherSchoolMailbox = `school-${urn}-other-dsl`;
  const policeMailbox = `police-${urn}-safeguarding`;

  const token = (mailbox: string, subject = 'mailbox-user-test') =>
    issuer.token({ roles: ['mailbox-user'], mailboxes: [mailbox], subject });

  function referral(extra: object = {}) {
    return {
      child: {
        name: `Child ${randomUUID().slice(0, 8)} Testperson`,
        dateOfBirth: '2015-04-12',
        gender: 'female',
        schoolOrSetting: 'Test school',
      },
      family: [{ name: 'Parent Testperson', relationship: 'mother' }],
      concerns: 'Repeated unexplained bruising; child says she is afraid to go home',
      actionsTaken: 'Spoke with the child; informed the head teacher',
      referrerContact: { name: 'A. Teacher', role: 'Designated safeguarding lead' },
      riskLevel: 'high',
      consent: { position: 'given', by: 'Parent Testperson', at: new Date().toISOString() },
      lawfulBasis: 'dpa2018-sch1-para18',
      familyInformed: true,
      ...extra,
    };
  }

  async function refer(body: object, mailbox = schoolMailbox, node = education) {
    const response = await request(node.url)
      .post(`/mailboxes/${mailbox}/referrals`)
      .set('Authorization', `Bearer ${await token(mailbox, 'dsl-referrer')}`)
      .send(body);
    expect(response.status).toBe(202);
    return response.body as { referralId: string; messageId: string; completeness: number };
  }

  async function referralsOf(mailbox: string, node = education) {
    const response = await request(node.url)
      .get(`/mailboxes/${mailbox}/referrals`)
      .set('Authorization', `Bearer ${await token(mailbox)}`);
    expect(response.status).toBe(200);
    return response.body as Record<string, unknown>[];
  }

  const untilStatus = (
    referralId: string,
    status: string,
    mailbox = schoolMailbox,
    node = education,
  ) =>
    eventually(
      async () => {
        const found = (await referralsOf(mailbox, node)).find((r) => r.referralId === referralId);
        return found?.status === status ? found : undefined;
      },
      { what: `referral status ${status}`, timeoutMs: 60_000 },
    );

  /** The decrypted messages of a type in a mailbox (skipping those of earlier runs). */
  async function mailboxMessages(node: RunningService, mailbox: string, type: string) {
    const mailboxToken = await token(mailbox);
    const list = await request(node.url)
      .get(`/mailboxes/${mailbox}/notifications`)
      .set('Authorization', `Bearer ${mailboxToken}`);
    expect(list.status).toBe(200);
    const found: Record<string, unknown>[] = [];
    for (const item of list.body as { messageId: string; type: string }[]) {
      if (item.type !== type) continue;
      const read = await request(node.url)
        .get(`/mailboxes/${mailbox}/notifications/${item.messageId}`)
        .set('Authorization', `Bearer ${mailboxToken}`);
      if (read.status === 200) found.push(read.body.notification);
    }
    return found;
  }

  /** The MASH's mailbox item carrying this referral. */
  async function mashItemFor(referralId: string) {
    const mashToken = await token(MASH, 'mash-social-worker');
    return eventually(
      async () => {
        const list = await request(socialCare.url)
          .get(`/mailboxes/${MASH}/notifications`)
          .set('Authorization', `Bearer ${mashToken}`);
        for (const item of list.body as { messageId: string; type: string }[]) {
          if (item.type !== 'uk.safeguarding.exchange.referral-view') continue;
          const read = await request(socialCare.url)
            .get(`/mailboxes/${MASH}/notifications/${item.messageId}`)
            .set('Authorization', `Bearer ${mashToken}`);
          // Referrals of earlier runs are encrypted to keys this run does not hold.
          if (read.status !== 200) continue;
          if (read.body.notification?.referralId === referralId) return read.body;
        }
        return undefined;
      },
      { what: 'the referral in the MASH mailbox', timeoutMs: 60_000 },
    );
  }

  beforeAll(async () => {
    await issuer.start();
    const hubPort = await freePort();
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`,
      AUDIT_REGISTRY_URL: `http://127.0.0.1:${hubPort}/.well-known/nodes/`,
      OUTBOX_POLL_INTERVAL_MS: '200',
      DEADLINE_CHECK_INTERVAL_MS: '300',
      // Two working days for the decision, so the two deadlines differ.
      REFERRAL_OUTCOME_WORKING_DAYS: '2',
    });
    hub = await startService(HubModule, hubPort);
    hubDb = hub.app.get(DataSource);
    await hubDb.query(`INSERT INTO agency (id, name, kind, area) VALUES
      ('northshire-exchange', 'Exchange', 'other', 'northshire'),
      ('northshire-education', 'Education', 'education', 'northshire'),
      ('northshire-police', 'Police', 'police', 'northshire'),
      ('northshire-childrens-social-care', 'Social care', 'social-care', 'northshire')
      ON CONFLICT DO NOTHING`);
    await hubDb.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES
      ('hub', 'northshire-exchange', 'hub'), ('education', 'northshire-education', 'education'),
      ('police', 'northshire-police', 'police'),
      ('social-care', 'northshire-childrens-social-care', 'social-care')
      ON CONFLICT (id) DO UPDATE SET status = 'active'`);
    await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
      ('${MASH}', 'social-care', 'mash', 'MASH', NULL),
      ('${SOCIAL_CARE_ESCALATION}', 'social-care', 'escalation', 'MASH escalation', NULL)
      ON CONFLICT DO NOTHING`);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
        ($1, 'education', 'designated-safeguarding-lead', 'Test school DSL', $2),
        ($3, 'education', 'other', 'Another test mailbox', NULL),
        ($4, 'police', 'police-safeguarding', 'Test police safeguarding team', NULL)`,
      [schoolMailbox, urn, otherSchoolMailbox, policeMailbox],
    );
    for (const nodeId of ['hub', 'education', 'police', 'social-care']) {
      await registerNodeKeys(hubDb, keysDir, nodeId);
    }
    [education, socialCare, police, audit] = await Promise.all([
      startService(EducationModule),
      startService(SocialCareModule),
      startService(PoliceModule),
      startService(AuditModule),
    ]);
  });

  afterAll(async () => {
    await hubDb?.query('DELETE FROM mailbox WHERE id = ANY($1)', [
      [schoolMailbox, otherSchoolMailbox, policeMailbox],
    ]);
    await Promise.all(
      [hub, education, socialCare, police, audit].map((service) => service?.app.close()),
    );
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('refuses a referral without its required fields, listing what is missing, and sends nothing', async () => {
    const body = referral({ concerns: '', familyInformed: undefined });
    delete (body.child as { name?: string }).name;
    const response = await request(education.url)
      .post(`/mailboxes/${schoolMailbox}/referrals`)
      .set('Authorization', `Bearer ${await token(schoolMailbox)}`)
      .send(body);
    expect(response.status).toBe(400);
    expect(response.body.missingRequired).toEqual(['child.name', 'concerns', 'familyInformed']);
    expect(await referralsOf(schoolMailbox)).toEqual([]);
  });

  it('refuses an invalid field by name, and a token bound to another mailbox', async () => {
    const invalid = await request(education.url)
      .post(`/mailboxes/${schoolMailbox}/referrals`)
      .set('Authorization', `Bearer ${await token(schoolMailbox)}`)
      .send(referral({ riskLevel: 'extreme' }));
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.message)).toContain('riskLevel');

    const foreign = await request(education.url)
      .post(`/mailboxes/${schoolMailbox}/referrals`)
      .set('Authorization', `Bearer ${await token(otherSchoolMailbox)}`)
      .send(referral());
    expect(foreign.status).toBe(403);
  });

  it('delivers to the MASH, which acknowledges and decides; the outcome reaches the referrer only', async () => {
    const submitted = await refer(referral({ voiceOfChild: undefined }));
    // Five of the seven recommended fields: no voice of the child, no child address.
    expect(submitted).toMatchObject({
      referralId: submitted.messageId,
      completeness: 71,
    });

    const delivered = await untilStatus(submitted.referralId, 'delivered');
    expect(delivered).toMatchObject({ completeness: 71, outcome: null });

    const item = await mashItemFor(submitted.referralId);
    expect(item.notification).toMatchObject({
      referralId: submitted.referralId,
      referrerMailboxId: schoolMailbox,
      recipientMailboxId: MASH,
      completeness: 71,
      concerns: expect.any(String),
      acknowledgeBy: item.dueAt,
    });
    const [delivery] = await hubDb.query(`SELECT id FROM delivery WHERE submission_id = $1`, [
      submitted.referralId,
    ]);
    const deadlines: { kind: string; due_at: Date; state: string }[] = await hubDb.query(
      `SELECT kind, due_at, state FROM deadline WHERE delivery_id = $1 ORDER BY kind`,
      [delivery.id],
    );
    expect(deadlines.map((d) => d.kind)).toEqual(['acknowledgement', 'outcome']);
    expect(new Date(deadlines[1].due_at).getTime()).toBeGreaterThan(
      new Date(deadlines[0].due_at).getTime(),
    );

    const mashToken = await token(MASH, 'mash-social-worker');
    const ack = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/notifications/${item.messageId}/acknowledge`)
      .set('Authorization', `Bearer ${mashToken}`);
    expect(ack.status).toBe(200);
    await untilStatus(submitted.referralId, 'acknowledged');

    // Another mailbox of the MASH's node cannot answer it.
    const wrongMailbox = await request(socialCare.url)
      .post(`/mailboxes/${SOCIAL_CARE_ESCALATION}/referrals/${submitted.referralId}/outcome`)
      .set('Authorization', `Bearer ${await token(SOCIAL_CARE_ESCALATION)}`)
      .send({ outcome: 'early-help', nextSteps: 'x' });
    expect(wrongMailbox.status).toBe(404);

    const badOutcome = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/referrals/${submitted.referralId}/outcome`)
      .set('Authorization', `Bearer ${mashToken}`)
      .send({ outcome: 'maybe', nextSteps: '' });
    expect(badOutcome.status).toBe(400);
    expect(JSON.stringify(badOutcome.body.message)).toContain('outcome');

    const outcome = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/referrals/${submitted.referralId}/outcome`)
      .set('Authorization', `Bearer ${mashToken}`)
      .send({
        outcome: 'child-in-need-assessment',
        nextSteps: 'A social worker will visit this week.',
      });
    expect(outcome.status).toBe(202);
    const again = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/referrals/${submitted.referralId}/outcome`)
      .set('Authorization', `Bearer ${mashToken}`)
      .send({ outcome: 'no-further-action', nextSteps: 'changed our mind' });
    expect(again.status).toBe(409);

    const closed = await untilStatus(submitted.referralId, 'outcome-received');
    expect(closed.outcome).toEqual({
      outcome: 'child-in-need-assessment',
      nextSteps: 'A social worker will visit this week.',
      decidedAt: outcome.body.decidedAt,
      receivedAt: expect.any(String),
      // Kept: nothing is purged before its retention period (docs/data-protection.md).
      purgedAt: null,
      purgeRule: null,
    });
    expect(closed.acknowledgedAt).toEqual(expect.any(String));

    // The outcome view is in the referrer's mailbox, addressed to it, and holds only the
    // fields the policy allows.
    const referrerToken = await token(schoolMailbox);
    const inbox = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications`)
      .set('Authorization', `Bearer ${referrerToken}`);
    const outcomeItem = (inbox.body as { messageId: string; type: string }[]).find(
      (i) => i.type === 'uk.safeguarding.exchange.referral-outcome-view',
    );
    expect(outcomeItem).toBeDefined();
    const view = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications/${outcomeItem!.messageId}`)
      .set('Authorization', `Bearer ${referrerToken}`);
    expect(view.body.notification).toEqual({
      referralId: submitted.referralId,
      outcome: 'child-in-need-assessment',
      nextSteps: 'A social worker will visit this week.',
      decidedAt: outcome.body.decidedAt,
      recipientMailboxId: schoolMailbox,
    });
    // No other mailbox sees the referral or its outcome.
    expect(await referralsOf(otherSchoolMailbox)).toEqual([]);
    const [{ n }] = await education.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS n FROM inbox_message WHERE type = $1 AND mailbox_id <> $2 AND subject_ref = $3`,
        [
          'uk.safeguarding.exchange.referral-outcome-view',
          schoolMailbox,
          (
            await hubDb.query('SELECT subject_ref FROM referral WHERE referral_id = $1', [
              submitted.referralId,
            ])
          )[0].subject_ref,
        ],
      );
    expect(n).toBe(0);

    // Both deadlines are met; the hub's records name the original referrer.
    const after: { state: string }[] = await hubDb.query(
      `SELECT state FROM deadline WHERE delivery_id = $1`,
      [delivery.id],
    );
    expect(after.map((d) => d.state)).toEqual(['met', 'met']);
    const [tracked] = await hubDb.query(
      `SELECT referrer_mailbox, outcome, completeness FROM referral WHERE referral_id = $1`,
      [submitted.referralId],
    );
    expect(tracked).toEqual({
      referrer_mailbox: schoolMailbox,
      outcome: 'child-in-need-assessment',
      completeness: 71,
    });
  });

  it("escalates an unanswered referral to the referrer's mailbox and the MASH escalation mailbox, once per deadline", async () => {
    const submitted = await refer(referral({ voiceOfChild: 'I want it to stop' }));
    expect(submitted.completeness).toBe(86);
    await untilStatus(submitted.referralId, 'delivered');
    const [delivery] = await hubDb.query(`SELECT id FROM delivery WHERE submission_id = $1`, [
      submitted.referralId,
    ]);
    const deadlines: { due_at: Date }[] = await hubDb.query(
      `SELECT due_at FROM deadline WHERE delivery_id = $1`,
      [delivery.id],
    );
    const latest = Math.max(...deadlines.map((d) => new Date(d.due_at).getTime()));
    const clock = hub.app.get(Clock);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(latest + 60_000));
    try {
      const overdue = await untilStatus(submitted.referralId, 'overdue');
      expect(overdue.overdueAt).toEqual(expect.any(String));

      const escalationToken = await token(SOCIAL_CARE_ESCALATION, 'mash-manager');
      const escalationsFor = async () => {
        const list = await request(socialCare.url)
          .get(`/mailboxes/${SOCIAL_CARE_ESCALATION}/notifications`)
          .set('Authorization', `Bearer ${escalationToken}`);
        const found = [];
        for (const item of list.body as { messageId: string }[]) {
          const read = await request(socialCare.url)
            .get(`/mailboxes/${SOCIAL_CARE_ESCALATION}/notifications/${item.messageId}`)
            .set('Authorization', `Bearer ${escalationToken}`);
          // Escalations of earlier runs are encrypted to keys this run does not hold.
          if (read.status !== 200) continue;
          if (read.body.notification?.messageId === delivery.id) found.push(read.body.notification);
        }
        return found;
      };
      const escalations = await eventually(
        async () => {
          const found = await escalationsFor();
          return found.length === 2 ? found : undefined;
        },
        { what: 'both escalations in the MASH escalation mailbox', timeoutMs: 60_000 },
      );
      for (const escalation of escalations) {
        expect(escalation).toMatchObject({
          overdueMailboxId: MASH,
          recipientMailboxId: SOCIAL_CARE_ESCALATION,
        });
      }
      const states: { state: string }[] = await hubDb.query(
        `SELECT state FROM deadline WHERE delivery_id = $1`,
        [delivery.id],
      );
      expect(states.map((d) => d.state)).toEqual(['escalated', 'escalated']);

      // The referrer's copies land in the referrer's own mailbox, naming its referral.
      const toReferrer = async () =>
        (await mailboxMessages(education, schoolMailbox, ESCALATION.type)).filter(
          (escalation) => escalation.messageId === submitted.referralId,
        );
      const referrerEscalations = await eventually(
        async () => {
          const found = await toReferrer();
          return found.length === 2 ? found : undefined;
        },
        { what: "both escalations in the referrer's mailbox", timeoutMs: 60_000 },
      );
      for (const escalation of referrerEscalations) {
        expect(escalation).toMatchObject({
          overdueMailboxId: MASH,
          recipientMailboxId: schoolMailbox,
          dueAt: expect.any(String),
        });
      }
      expect(new Set(referrerEscalations.map((e) => e.dueAt)).size).toBe(2);
      // Another mailbox of the referrer's node is told nothing.
      expect(await mailboxMessages(education, otherSchoolMailbox, ESCALATION.type)).toEqual([]);

      // Another pass of the job escalates nothing again.
      await hub.app.get(DeadlineEscalationJob).run();
      const [{ n }] = await hubDb.query(
        `SELECT count(*)::int AS n FROM deadline WHERE delivery_id = $1 AND state = 'escalated'`,
        [delivery.id],
      );
      expect(n).toBe(2);
      // Exactly one copy per deadline for the referrer's node, however many passes ran: the
      // hub's outbox keeps every record it wrote, by subject key and type.
      const [{ subject_ref: subjectRef }] = await hubDb.query(
        'SELECT subject_ref FROM referral WHERE referral_id = $1',
        [submitted.referralId],
      );
      const [{ n: toEducation }] = await hubDb.query(
        `SELECT count(*)::int AS n FROM outbox
          WHERE topic = 'sgx.delivery.education.v1' AND record_key = $1 AND headers->>'ce_type' LIKE $2`,
        [subjectRef, `${ESCALATION.type}%`],
      );
      expect(toEducation).toBe(2);
      expect(await toReferrer()).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('feeds the outcome back to police who referred under DPA 2018 Sch. 8 para. 4', async () => {
    const submitted = await refer(
      referral({
        consent: { position: 'not-sought' },
        lawfulBasis: 'dpa2018-sch8-para4',
        safeguardingJustification: 'asking-would-put-someone-at-risk',
        familyInformed: false,
        referrerContact: { name: 'PC Test', role: 'Public protection officer' },
      }),
      policeMailbox,
      police,
    );
    await untilStatus(submitted.referralId, 'delivered', policeMailbox, police);
    await mashItemFor(submitted.referralId);

    const outcome = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/referrals/${submitted.referralId}/outcome`)
      .set('Authorization', `Bearer ${await token(MASH, 'mash-social-worker')}`)
      .send({ outcome: 'strategy-discussion', nextSteps: 'Strategy discussion tomorrow 10:00.' });
    expect(outcome.status).toBe(202);

    const closed = await untilStatus(
      submitted.referralId,
      'outcome-received',
      policeMailbox,
      police,
    );
    expect(closed.outcome).toMatchObject({
      outcome: 'strategy-discussion',
      nextSteps: 'Strategy discussion tomorrow 10:00.',
    });
    const [view] = (
      await mailboxMessages(police, policeMailbox, REFERRAL_OUTCOME_VIEW.type)
    ).filter((v) => v.referralId === submitted.referralId);
    expect(view).toMatchObject({
      outcome: 'strategy-discussion',
      recipientMailboxId: policeMailbox,
    });
    // Social care shared it on its own basis, not on the police's law-enforcement one.
    const [delivery] = await hubDb.query(
      `SELECT rule_id, shared_under FROM delivery WHERE submission_id = $1`,
      [outcome.body.messageId],
    );
    expect(delivery).toEqual({
      rule_id: 'referral-outcome-to-referrer',
      shared_under: 'justification',
    });
  });

  it("reports the referrals' completeness in the partnership metrics, from the trail", async () => {
    const from = new Date(Date.now() - 1_000).toISOString();
    const scores = [
      // Three of seven recommended fields: no family, contact, voice of the child or address.
      referral({ family: undefined, referrerContact: undefined, voiceOfChild: undefined }),
      referral({ voiceOfChild: undefined }),
      referral({
        voiceOfChild: 'I want it to stop',
        child: {
          name: `Child ${randomUUID().slice(0, 8)} Testperson`,
          dateOfBirth: '2015-04-12',
          gender: 'female',
          address: '1 Test Street',
          schoolOrSetting: 'Test school',
        },
      }),
    ];
    const submitted = [];
    for (const body of scores) submitted.push(await refer(body));
    expect(submitted.map((s) => s.completeness)).toEqual([43, 71, 100]);
    for (const { referralId } of submitted) await untilStatus(referralId, 'delivered');

    const auditor = await issuer.token({ roles: ['auditor'], subject: 'metrics-auditor' });
    const group = await eventually(
      async () => {
        const response = await request(audit.url)
          .get('/audit/metrics')
          .query({ from, to: new Date(Date.now() + 60_000).toISOString() })
          .set('Authorization', `Bearer ${auditor}`);
        expect(response.status).toBe(200);
        const found = (response.body.groups as Record<string, unknown>[]).find(
          (g) => g.agency === 'northshire-education' && g.messageType === REFERRAL.type,
        ) as { referralCompleteness?: { scored: number } } | undefined;
        return found?.referralCompleteness?.scored === 3 ? found : undefined;
      },
      { what: 'the three referrals in the partnership metrics', timeoutMs: 60_000 },
    );
    expect(group).toMatchObject({
      referralCompleteness: { scored: 3, mean: expect.closeTo((43 + 71 + 100) / 3, 6), median: 71 },
      referralToOutcome: { referrals: 3, count: 0, share: 0 },
    });
  });
  it('measures real journeys in the partnership metrics, for the agencies measured and the submission types', async () => {
    const from = new Date().toISOString();
    const policeSystem = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-cad',
    });
    const dsl = await token(schoolMailbox, 'dsl-metrics');
    const mashToken = await token(MASH, 'mash-social-worker');

    // Police notify the school of an incident two children witnessed: one notification each.
    const child = () => ({
      name: `Child ${randomUUID().slice(0, 8)} Testperson`,
      dateOfBirth: '2016-03-14',
      schoolUrn: urn,
      presence: 'witnessing',
    });
    const incident = await request(police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${policeSystem}`)
      .send({
        policeReference: `NP-${randomUUID().slice(0, 8)}`,
        occurredAt: new Date().toISOString(),
        location: '12 Example Road, Northtown',
        children: [child(), child()],
        riskLevel: 'high',
        circumstances: 'Children witnessed an argument between adults at home',
        actionsTaken: 'Suspect arrested',
        consent: { position: 'not-sought' },
        lawfulBasis: 'dpa2018-sch8-para4',
        safeguardingJustification: 'asking-would-put-someone-at-risk',
        familyInformed: false,
      });
    expect(incident.status).toBe(202);
    const notifications = (statuses: string[]) =>
      eventually(
        async () => {
          const response = await request(police.url)
            .get(`/incidents/${incident.body.incidentId}/notifications`)
            .set('Authorization', `Bearer ${policeSystem}`);
          const found = response.body.notifications as { messageId: string; status: string }[];
          const seen = found.map((n) => n.status).sort();
          return JSON.stringify(seen) === JSON.stringify([...statuses].sort()) ? found : undefined;
        },
        { what: `the notifications ${statuses.join(' and ')}`, timeoutMs: 60_000 },
      );
    await notifications(['delivered', 'delivered']);

    // The school acknowledges one of them.
    const inbox = await request(education.url)
      .get(`/mailboxes/${schoolMailbox}/notifications`)
      .set('Authorization', `Bearer ${dsl}`);
    const encompass = (inbox.body as { messageId: string; type: string }[]).filter(
      (item) => item.type === ENCOMPASS_VIEW.type,
    );
    expect(encompass).toHaveLength(2);
    const ack = await request(education.url)
      .post(`/mailboxes/${schoolMailbox}/notifications/${encompass[0].messageId}/acknowledge`)
      .set('Authorization', `Bearer ${dsl}`);
    expect(ack.status).toBe(200);
    const [left] = (await notifications(['acknowledged', 'delivered'])).filter(
      (n) => n.status === 'delivered',
    );

    // The school refers a child; the MASH acknowledges and decides.
    const referred = await refer(referral({ voiceOfChild: undefined }));
    const item = await mashItemFor(referred.referralId);
    const mashAck = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/notifications/${item.messageId}/acknowledge`)
      .set('Authorization', `Bearer ${mashToken}`);
    expect(mashAck.status).toBe(200);
    await untilStatus(referred.referralId, 'acknowledged');
    const decided = await request(socialCare.url)
      .post(`/mailboxes/${MASH}/referrals/${referred.referralId}/outcome`)
      .set('Authorization', `Bearer ${mashToken}`)
      .send({ outcome: 'early-help', nextSteps: 'Early help offer this week.' });
    expect(decided.status).toBe(202);
    await untilStatus(referred.referralId, 'outcome-received');

    // The other notification is not acknowledged by the start of the next school day.
    const [due] = await hubDb.query(
      `SELECT d.due_at FROM deadline d JOIN delivery v ON v.id = d.delivery_id
        WHERE v.submission_id = $1 AND d.kind = 'acknowledgement'`,
      [left.messageId],
    );
    const spy = jest
      .spyOn(hub.app.get(Clock), 'now')
      .mockReturnValue(new Date(new Date(due.due_at).getTime() + 60_000));
    try {
      await eventually(
        async () => {
          const response = await request(police.url)
            .get(`/incidents/${incident.body.incidentId}/notifications`)
            .set('Authorization', `Bearer ${policeSystem}`);
          const found = (
            response.body.notifications as { messageId: string; status: string }[]
          ).find((n) => n.messageId === left.messageId);
          return found?.status === 'overdue' ? true : undefined;
        },
        { what: 'the unacknowledged notification overdue', timeoutMs: 60_000 },
      );
    } finally {
      spy.mockRestore();
    }

    // Earlier tests' deliveries the moved clock escalated too are outside the range: a delivery
    // counts in the range the hub routed it in.
    const auditor = await issuer.token({ roles: ['auditor'], subject: 'metrics-auditor' });
    const to = new Date(Date.now() + 60_000).toISOString();
    const groupOf = (groups: MetricsGroup[], agency: string, type: string) =>
      groups.find((g) => g.agency === agency && g.messageType === type);
    const metrics = async () => {
      const response = await request(audit.url)
        .get('/audit/metrics')
        .query({ from, to })
        .set('Authorization', `Bearer ${auditor}`);
      expect(response.status).toBe(200);
      return response.body.groups as MetricsGroup[];
    };
    // Audit events reach the trail from each service's outbox in their own time: wait until every
    // count below is there (or the time is up), then check the figures.
    let groups = await metrics();
    const counted = (found: MetricsGroup[]) => {
      const of = (agency: string, type: string) => groupOf(found, agency, type);
      const school = of('northshire-education', DOMESTIC_ABUSE_NOTIFICATION.type);
      const referrer = of('northshire-education', REFERRAL.type);
      const mash = of('northshire-childrens-social-care', REFERRAL.type);
      return (
        of('northshire-police', DOMESTIC_ABUSE_NOTIFICATION.type)?.submissionToDelivery?.count ===
          4 &&
        of('northshire-childrens-social-care', DOMESTIC_ABUSE_NOTIFICATION.type)?.escalations ===
          2 &&
        school?.deliveryToAcknowledgement?.delivered === 2 &&
        school.deliveryToAcknowledgement.count === 1 &&
        school.escalations === 1 &&
        referrer?.submissionToDelivery?.count === 1 &&
        referrer.referralToOutcome?.count === 1 &&
        mash?.deliveryToAcknowledgement?.count === 1 &&
        of('northshire-education', REFERRAL_OUTCOME.type)?.deliveryToAcknowledgement?.delivered ===
          1
      );
    };
    await eventually(
      async () => {
        groups = await metrics();
        return counted(groups) ? true : undefined;
      },
      { what: 'the journeys in the partnership metrics', timeoutMs: 60_000 },
    ).catch(() => undefined); // the assertions below say what is missing

    const positive = (durations: Durations | undefined, count: number) => {
      expect(durations?.count).toBe(count);
      expect(durations!.p50Ms).toBeGreaterThan(0);
      expect(durations!.p50Ms!).toBeLessThanOrEqual(durations!.p90Ms!);
    };
    // The sender's figures: police for the notifications, the school for its referral. Each
    // child's notification was delivered to the school and the MASH: four deliveries (school
    // nursing's copies wait for the health node, which this test does not run).
    const notifier = groupOf(groups, 'northshire-police', DOMESTIC_ABUSE_NOTIFICATION.type)!;
    positive(notifier.submissionToDelivery, 4);
    expect(notifier.deliveryToAcknowledgement).toBeUndefined();

    // The recipient's: the school acknowledged one notification in time; the other escalated.
    const school = groupOf(groups, 'northshire-education', DOMESTIC_ABUSE_NOTIFICATION.type)!;
    expect(school.submissionToDelivery).toBeUndefined();
    expect(school.deliveryToAcknowledgement?.delivered).toBe(2);
    positive(school.deliveryToAcknowledgement, 1);
    expect(school.acknowledgedBeforeDeadline).toEqual({
      withDeadline: 2,
      pending: 0,
      onTime: 1,
      share: 0.5,
    });
    expect(school.escalations).toBe(1);
    // The MASH acknowledged neither notification: both escalated when the clock moved.
    const mashNotified = groupOf(
      groups,
      'northshire-childrens-social-care',
      DOMESTIC_ABUSE_NOTIFICATION.type,
    )!;
    expect(mashNotified.deliveryToAcknowledgement).toMatchObject({ delivered: 2, count: 0 });
    expect(mashNotified.escalations).toBe(2);

    const referrer = groupOf(groups, 'northshire-education', REFERRAL.type)!;
    positive(referrer.submissionToDelivery, 1);
    expect(referrer.referralToOutcome).toMatchObject({ referrals: 1, share: 1 });
    positive(referrer.referralToOutcome, 1);
    expect(referrer.referralCompleteness).toEqual({
      scored: 1,
      mean: referred.completeness,
      median: referred.completeness,
    });

    const mash = groupOf(groups, 'northshire-childrens-social-care', REFERRAL.type)!;
    expect(mash.deliveryToAcknowledgement?.delivered).toBe(1);
    positive(mash.deliveryToAcknowledgement, 1);
    expect(mash.acknowledgedBeforeDeadline).toEqual({
      withDeadline: 1,
      pending: 0,
      onTime: 1,
      share: 1,
    });
    expect(mash.escalations).toBe(0);

    // The outcome reached the referrer; as a reply it is measured by referralToOutcome, not as a
    // submission of social care's.
    expect(
      groupOf(groups, 'northshire-education', REFERRAL_OUTCOME.type)?.deliveryToAcknowledgement,
    ).toEqual({ delivered: 1, count: 0, p50Ms: null, p90Ms: null });
    expect(groupOf(groups, 'northshire-childrens-social-care', REFERRAL_OUTCOME.type)).toBe(
      undefined,
    );
    expect(groups.filter((g) => g.agency === '(unknown)')).toEqual([]);
  });
});
