/**
 * Issue 16 item 1: retention with tombstones. Real: PostgreSQL, the Kafka broker, the education
 * adapter (a school's mailbox) and the MARAC as Nest apps, keys in a temporary KEYS_DIR, tokens
 * from a test issuer. Played: the hub (HubStandIn serves its keys); the rows are written as the
 * delivery handler and the MARAC's use cases write them, with the times the test needs. The
 * purge is run with a `now` the test sets, past each rule's period, instead of waiting. The
 * outbox relay is paused so the `purged` audit events can be counted where they are written
 * (the journey through the broker to a verified trail is test/e2e/retention.e2e-spec.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { AuditEvent, Topics } from '@app/contracts';
import { AtRestSealer } from '@app/node';
import { RetentionPurger } from '@app/retention';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { HubStandIn } from '../support/hub-stand-in';
import { writeNodeKeyFiles } from '../support/registry-fixtures';
import { RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(180_000);

const DAY_MS = 24 * 60 * 60 * 1000;
const SCHOOL_VIEW = 'uk.safeguarding.exchange.domestic-abuse-notification-view';
/** Stands in for a JWE: the purge never opens a body, it only clears it. */
const SEALED = 'eyJhbGciOiJFQ0RILUVTIn0.stand-in.for.a.delivered.jwe';

describe('retention: purges past their period leave tombstones, once', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-retention-keys-'));
  const mailboxId = `school-${randomUUID().slice(0, 8)}-dsl`;
  const saved = {
    OUTBOX_RELAY_ENABLED: process.env.OUTBOX_RELAY_ENABLED,
    RETENTION_PURGE_BATCH_SIZE: process.env.RETENTION_PURGE_BATCH_SIZE,
  };
  let education: RunningService;
  let marac: RunningService;
  let schoolDb: DataSource;
  let maracDb: DataSource;
  let token: string;

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    await writeNodeKeyFiles(keysDir, 'education');
    await writeNodeKeyFiles(keysDir, 'marac');
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: hub.jwksUrl,
      OUTBOX_RELAY_ENABLED: 'false',
      // Small batches, so a run takes several transactions and two runs interleave.
      RETENTION_PURGE_BATCH_SIZE: '7',
    });
    education = await startService(EducationModule);
    marac = await startService(MaracModule);
    schoolDb = education.app.get(DataSource);
    maracDb = marac.app.get(DataSource);
    token = await issuer.token({ roles: ['mailbox-user'], mailboxes: [mailboxId] });
  });

  afterAll(async () => {
    await education?.app.close();
    await marac?.app.close();
    await hub.stop();
    await issuer.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(keysDir, { recursive: true, force: true });
  });

  /** A school delivery as the node stores it: the body as delivered, metadata beside it. */
  async function schoolDelivery(acknowledgedAt: Date | null): Promise<string> {
    const messageId = randomUUID();
    await schoolDb.query(
      `INSERT INTO inbox_message (message_id, type, source, subject_ref, body, kafka_topic,
          kafka_partition, kafka_offset, mailbox_id, status, due_at, acknowledged_at, acknowledged_by)
       VALUES ($1, $2, 'hub', $3, $4, 'sgx.delivery.education.v1', 0, 0, $5, $6, now(), $7, $8)`,
      [
        messageId,
        SCHOOL_VIEW,
        randomUUID(),
        SEALED,
        mailboxId,
        acknowledgedAt ? 'acknowledged' : 'received',
        acknowledgedAt,
        acknowledgedAt ? 'dsl-of-the-school' : null,
      ],
    );
    return messageId;
  }

  /** The `purged` audit events the service wrote to its outbox for these ids. */
  async function purgeEvents(db: DataSource, ids: string[]): Promise<AuditEvent[]> {
    const rows = (await db.query(`SELECT value FROM outbox WHERE topic = $1`, [
      Topics.auditEvents,
    ])) as { value: string | null }[];
    return rows
      .filter((row) => row.value !== null)
      .map((row) => JSON.parse(row.value!) as AuditEvent)
      .filter((event) => event.action === 'purged' && ids.includes(event.messageId ?? ''));
  }

  const inboxRow = async (messageId: string) =>
    (
      (await schoolDb.query(
        'SELECT body, purged_at, purge_rule, status FROM inbox_message WHERE message_id = $1',
        [messageId],
      )) as { body: string | null; purged_at: Date | null; purge_rule: string | null }[]
    )[0];

  it('purges an acknowledged school notification past its period and keeps an unacknowledged one; the mailbox shows the tombstone', async () => {
    const now = new Date();
    const acknowledged = await schoolDelivery(now);
    const unacknowledged = await schoolDelivery(null);
    const recent = await schoolDelivery(new Date(now.getTime() + 10 * DAY_MS));
    const purger = education.app.get(RetentionPurger);

    // 31 days on: past the 30 days of inbox-acknowledged for the first only.
    const later = new Date(now.getTime() + 31 * DAY_MS);
    const counts = await purger.run(later);
    expect(counts['inbox-acknowledged']).toBeGreaterThanOrEqual(1);

    expect(await inboxRow(acknowledged)).toMatchObject({
      body: null,
      purged_at: later,
      purge_rule: 'inbox-acknowledged',
    });
    // Never acknowledged: kept however old, whatever the clock says.
    expect(await inboxRow(unacknowledged)).toMatchObject({ body: SEALED, purged_at: null });
    expect(await inboxRow(recent)).toMatchObject({ body: SEALED, purged_at: null });

    // The mailbox still lists it, as purged, and reading it answers the tombstone, not a 404.
    const list = await request(education.url)
      .get(`/mailboxes/${mailboxId}/notifications`)
      .set('Authorization', `Bearer ${token}`);
    expect(list.status).toBe(200);
    const listed = (list.body as { messageId: string }[]).find(
      (item) => item.messageId === acknowledged,
    );
    expect(listed).toMatchObject({
      status: 'acknowledged',
      purgedAt: later.toISOString(),
      purgeRule: 'inbox-acknowledged',
    });
    const read = await request(education.url)
      .get(`/mailboxes/${mailboxId}/notifications/${acknowledged}`)
      .set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      messageId: acknowledged,
      type: SCHOOL_VIEW,
      status: 'acknowledged',
      acknowledgedBy: 'dsl-of-the-school',
      purgedAt: later.toISOString(),
      purgeRule: 'inbox-acknowledged',
      notification: null,
    });

    // One audit event, metadata only: the item, its type and mailbox, the rule, when.
    const events = await purgeEvents(schoolDb, [acknowledged, unacknowledged, recent]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'purged',
      actor: 'education',
      messageId: acknowledged,
      messageType: SCHOOL_VIEW,
      recipientMailbox: mailboxId,
      ruleId: 'inbox-acknowledged',
      occurredAt: later.toISOString(),
      detail: `purged on ${later.toISOString()} under rule inbox-acknowledged (acknowledged by the mailbox (a superseded report: its latest) + 30 days)`,
    });

    // A second run (a restart, the next interval) purges nothing more and audits nothing more.
    await purger.run(later);
    expect(await purgeEvents(schoolDb, [acknowledged, unacknowledged, recent])).toHaveLength(1);
    expect(await inboxRow(acknowledged)).toMatchObject({ purged_at: later });
  });

  it('two runners at once purge each row once', async () => {
    const now = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await schoolDelivery(now));
    const purger = education.app.get(RetentionPurger);
    const later = new Date(now.getTime() + 31 * DAY_MS);

    // Two runs in parallel, each batch its own transaction on its own connection.
    await Promise.all([purger.run(later), purger.run(later)]);

    const rows = (await schoolDb.query(
      'SELECT count(*)::int AS n FROM inbox_message WHERE message_id = ANY($1) AND body IS NULL',
      [ids],
    )) as { n: number }[];
    expect(rows[0].n).toBe(ids.length);
    const events = await purgeEvents(schoolDb, ids);
    expect(events).toHaveLength(ids.length);
    expect(new Set(events.map((event) => event.messageId)).size).toBe(ids.length);
  });

  /** Reports of one missing episode in the school's mailbox: every one but the last superseded. */
  async function thread(latestAcknowledged: boolean): Promise<string[]> {
    const ids = [randomUUID(), randomUUID()];
    const key = `missing-episode:${randomUUID()}`;
    for (const [index, id] of ids.entries()) {
      const latest = index === ids.length - 1;
      await schoolDb.query(
        `INSERT INTO inbox_message (message_id, type, source, subject_ref, body, kafka_topic,
            kafka_partition, kafka_offset, mailbox_id, status, acknowledged_at, thread_key,
            thread_sequence, superseded_by)
         VALUES ($1, 'uk.safeguarding.exchange.missing-episode-view', 'hub', $2, $3,
            'sgx.delivery.education.v1', 0, 0, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          randomUUID(),
          SEALED,
          mailboxId,
          latest && latestAcknowledged ? 'acknowledged' : 'received',
          latest && latestAcknowledged ? new Date() : null,
          key,
          index + 1,
          latest ? null : ids[ids.length - 1],
        ],
      );
    }
    return ids;
  }

  it("purges a missing episode's earlier report with its acknowledged latest, and keeps both while the latest waits", async () => {
    const answered = await thread(true);
    const waiting = await thread(false);
    const later = new Date(Date.now() + 31 * DAY_MS);
    await education.app.get(RetentionPurger).run(later);
    for (const id of answered) {
      expect(await inboxRow(id)).toMatchObject({ body: null, purge_rule: 'inbox-acknowledged' });
    }
    for (const id of waiting) expect(await inboxRow(id)).toMatchObject({ body: SEALED });
  });

  it("purges the MASH's next steps at the referrer past the period; the referral list keeps the outcome and says purged", async () => {
    const sealer = education.app.get(AtRestSealer);
    const [old, recent] = [randomUUID(), randomUUID()];
    const now = new Date();
    for (const [referralId, receivedAt] of [
      [old, now],
      [recent, new Date(now.getTime() + 20 * DAY_MS)],
    ] as const) {
      await schoolDb.query(
        `INSERT INTO referral (referral_id, mailbox_id, subject_ref, completeness, submitted_by,
            submitted_at, outcome, next_steps, decided_at, outcome_received_at)
         VALUES ($1, $2, $3, 100, 'dsl', $4, 'early-help', $5, $4, $6)`,
        [
          referralId,
          mailboxId,
          randomUUID(),
          now,
          await sealer.seal('A visit this week'),
          receivedAt,
        ],
      );
    }
    const later = new Date(now.getTime() + 31 * DAY_MS);
    await education.app.get(RetentionPurger).run(later);

    const listed = await request(education.url)
      .get(`/mailboxes/${mailboxId}/referrals`)
      .set('Authorization', `Bearer ${token}`);
    expect(listed.status).toBe(200);
    const byId = new Map(
      (listed.body as { referralId: string; outcome: Record<string, unknown> }[]).map((r) => [
        r.referralId,
        r.outcome,
      ]),
    );
    expect(byId.get(old)).toMatchObject({
      outcome: 'early-help',
      nextSteps: null,
      purgedAt: later.toISOString(),
      purgeRule: 'referral-outcome-received',
    });
    expect(byId.get(recent)).toMatchObject({ nextSteps: 'A visit this week', purgedAt: null });
    const [row] = (await schoolDb.query('SELECT next_steps FROM referral WHERE referral_id = $1', [
      old,
    ])) as { next_steps: string | null }[];
    expect(row.next_steps).toBeNull();
    const events = await purgeEvents(schoolDb, [old, recent]);
    expect(events.map((event) => [event.messageId, event.ruleId])).toEqual([
      [old, 'referral-outcome-received'],
    ]);
    await schoolDb.query('DELETE FROM referral WHERE referral_id = ANY($1)', [[old, recent]]);
  });

  /** A MARAC case with one agency's research answers, its meeting held at `meetingAt`. */
  async function maracCase(meetingAt: Date, actionState: 'open' | 'completed' | null) {
    const caseId = randomUUID();
    const requestId = randomUUID();
    const responseId = randomUUID();
    const messageId = randomUUID();
    const victimRef = `victim-${randomUUID()}`;
    await maracDb.query(
      `INSERT INTO marac_case (id, victim_ref, perpetrator_ref, children, referring_agency_id,
          referred_at, criterion, dash_total, dash_total_computed, repeat, meeting_date,
          meeting_at, responses_due_at)
       VALUES ($1, $2, $3, '[]', 'northshire-police', $4, 'visible-high-risk', 15, true, false,
          $5, $4, $4)`,
      [
        caseId,
        victimRef,
        `perpetrator-${randomUUID()}`,
        meetingAt,
        meetingAt.toISOString().slice(0, 10),
      ],
    );
    await maracDb.query(
      `INSERT INTO information_request (id, case_id, agency_id, agency_kind, mailbox_id,
          escalation_mailbox_id, outgoing_message_id, due_at, state)
       VALUES ($1, $2, 'northshire-police', 'police', 'police-safeguarding-hub', 'police-escalation',
          $3, $4, 'answered')`,
      [requestId, caseId, randomUUID(), meetingAt],
    );
    // The delivery that carried the answers, in the MARAC's inbox, and the answers, sealed.
    await maracDb.query(
      `INSERT INTO inbox_message (message_id, type, source, subject_ref, body, kafka_topic,
          kafka_partition, kafka_offset, mailbox_id)
       VALUES ($1, 'uk.safeguarding.exchange.marac-information-response', 'hub', $2, $3,
          'sgx.delivery.marac.v1', 0, 0, 'marac-coordinator')`,
      [messageId, victimRef, SEALED],
    );
    const form = await marac.app
      .get(AtRestSealer)
      .seal(JSON.stringify({ victimInvolvement: { facts: 'known to us' } }));
    await maracDb.query(
      `INSERT INTO research_response (id, request_id, case_id, agency_id, mailbox_id, received_at,
          late, form, message_id)
       VALUES ($1, $2, $3, 'northshire-police', 'police-safeguarding-hub', $4, false, $5, $6)`,
      [responseId, requestId, caseId, meetingAt, form, messageId],
    );
    if (actionState) {
      const actionId = randomUUID();
      await maracDb.query(
        `INSERT INTO marac_action (id, case_id, owner_agency_id, owner_mailbox_id,
            escalation_mailbox_id, description, due_date, due_at, outgoing_message_id, state,
            created_at)
         VALUES ($1, $2, 'northshire-police', 'police-safeguarding-hub', 'police-escalation',
            'sealed elsewhere', $6, $3, $4, $5, $3)`,
        [
          actionId,
          caseId,
          meetingAt,
          randomUUID(),
          actionState,
          meetingAt.toISOString().slice(0, 10),
        ],
      );
      if (actionState === 'completed') {
        await maracDb.query(
          `INSERT INTO action_update (id, action_id, agency_id, status, note, recorded_at)
           VALUES ($1, $2, 'northshire-police', 'completed', 'done', $3)`,
          [randomUUID(), actionId, new Date(meetingAt.getTime() + 20 * DAY_MS)],
        );
      }
    }
    return { caseId, responseId, messageId, victimRef };
  }

  const research = async (responseId: string) =>
    (
      (await maracDb.query(
        `SELECT s.form, s.purged_at, s.purge_rule, m.body AS inbox_body
           FROM research_response s LEFT JOIN inbox_message m ON m.message_id = s.message_id
          WHERE s.id = $1`,
        [responseId],
      )) as {
        form: string | null;
        purged_at: Date | null;
        purge_rule: string | null;
        inbox_body: string | null;
      }[]
    )[0];

  it("purges a closed MARAC case's research after its period, with the inbox copy, and keeps an open case's", async () => {
    const now = new Date();
    // Closed: meeting held, its one action completed 20 days after.
    const closed = await maracCase(now, 'completed');
    // Closed at the meeting: no actions.
    const noActions = await maracCase(now, null);
    // Still open: an action not completed, however long ago the meeting was.
    const open = await maracCase(new Date(now.getTime() - 800 * DAY_MS), 'open');
    const purger = marac.app.get(RetentionPurger);

    // 370 days on: past the meeting + 365 days, not past the completion + 365 days.
    const notYet = new Date(now.getTime() + 370 * DAY_MS);
    await purger.run(notYet);
    expect(await research(closed.responseId)).toMatchObject({ purged_at: null });
    expect(await research(noActions.responseId)).toMatchObject({
      form: null,
      inbox_body: null,
      purged_at: notYet,
      purge_rule: 'marac-research-case-closed',
    });

    const later = new Date(now.getTime() + 400 * DAY_MS);
    await purger.run(later);
    expect(await research(closed.responseId)).toMatchObject({
      form: null,
      inbox_body: null,
      purged_at: later,
      purge_rule: 'marac-research-case-closed',
    });
    const kept = await research(open.responseId);
    expect(kept.purged_at).toBeNull();
    expect(kept.form).toMatch(/^eyJ/);
    expect(kept.inbox_body).toBe(SEALED);

    const events = await purgeEvents(maracDb, [
      closed.messageId,
      noActions.messageId,
      open.messageId,
    ]);
    expect(
      events
        .filter((event) => event.ruleId === 'marac-research-case-closed')
        .map((event) => [event.messageId, event.subjectRef])
        .sort(),
    ).toEqual(
      [
        [closed.messageId, closed.victimRef],
        [noActions.messageId, noActions.victimRef],
      ].sort(),
    );
  });
});
