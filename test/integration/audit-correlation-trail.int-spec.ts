/**
 * GET /audit/correlations/:messageId — a message's whole story following its correlation (issue
 * 13, journey 2). The events have the shapes the hub and the nodes emit for a police submission:
 * the submission's own submitted, verified and policy-decision; each delivery (a view for one
 * mailbox, a message id of its own) routed, delivered, acknowledged or escalated with the
 * submission as correlationId; a reply (a referral outcome) correlated to the delivery it
 * answers, and that reply's delivery. Real: the Kafka broker, PostgreSQL, the audit service's
 * Nest application with its Kafka transport and HTTP API. Faked: nothing (the events are
 * published to the audit topic as the services publish them, signed with registered keys).
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { HASHED_KEYS } from '../../apps/audit/src/chain/chain-record';
import { auditEvent } from '../support/audit-schema';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { eventually, RunningService, startService } from '../support/service-harness';
import { testKafkaSettings } from '../support/test-kafka';
import { TestIssuer } from '../support/test-issuer';

interface Row {
  seq: number;
  action: string;
  actor: string;
  messageId?: string;
  correlationId?: string;
  [key: string]: unknown;
}

interface Story {
  messageId: string;
  messageIds: string[];
  rows: Row[];
}

jest.setTimeout(120_000);

const ROW_MEMBERS = new Set([...HASHED_KEYS, 'hash']);

describe('audit API: a message’s story following its correlation', () => {
  let audit: RunningService;
  let db: DataSource;
  let registry: Awaited<ReturnType<typeof serveRegistryKeys>>;
  const issuer = new TestIssuer();
  let auditorToken: string;
  const services = new KafkaPublisher(testKafkaSettings('audit-correlation-test'));

  const get = async (path: string, token: string | null = auditorToken) => {
    const response = await fetch(`${audit.url}${path}`, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  const submission = randomUUID();
  const toSchool = randomUUID();
  const toMash = randomUUID();
  const outcome = randomUUID();
  const outcomeDelivery = randomUUID();
  const unrelated = randomUUID();
  const subjectRef = `subj-${randomUUID()}`;
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
  const at = () => new Date((clock += 1000)).toISOString();
  const event = (overrides: Partial<AuditEvent>) =>
    auditEvent({ subjectRef, occurredAt: at(), ...overrides });

  const events: AuditEvent[] = [
    event({ action: 'submitted', actor: 'hub', messageId: submission }),
    event({ action: 'verified', actor: 'hub', messageId: submission }),
    event({
      action: 'policy-decision',
      actor: 'hub',
      messageId: submission,
      recipientMailbox: 'school-990101-dsl',
      decision: 'allow-with-fields',
      ruleId: 'encompass.school',
    }),
    event({ action: 'routed', actor: 'hub', messageId: toSchool, correlationId: submission }),
    event({ action: 'routed', actor: 'hub', messageId: toMash, correlationId: submission }),
    event({ action: 'delivered', actor: 'education', messageId: toSchool }),
    event({ action: 'delivered', actor: 'social-care', messageId: toMash }),
    event({ action: 'acknowledged', actor: 'hub', messageId: toSchool, correlationId: submission }),
    event({ action: 'escalated', actor: 'hub', messageId: toMash, correlationId: submission }),
    // The MASH's outcome answers its delivery; the hub routes the outcome back as a delivery.
    event({
      action: 'referral-outcome',
      actor: 'social-care',
      messageId: outcome,
      correlationId: toMash,
    }),
    event({
      action: 'referral-outcome',
      actor: 'hub',
      messageId: outcomeDelivery,
      correlationId: outcome,
    }),
    event({ action: 'delivered', actor: 'police', messageId: outcomeDelivery }),
    // Another message about the same child: not part of this story.
    event({ action: 'submitted', actor: 'hub', messageId: unrelated }),
  ];

  beforeAll(async () => {
    await issuer.start();
    auditorToken = await issuer.token({ roles: ['auditor'], subject: 'auditor-ann' });
    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    audit = await startService(AuditModule);
    db = audit.app.get(DataSource);
    await services.publish(
      Topics.auditEvents,
      await Promise.all(events.map((each) => signedAuditRecord(each))),
    );
    await eventually(
      async () => {
        const [{ n }] = (await db.query(
          'SELECT count(*)::int AS n FROM audit_record WHERE event_id = ANY($1::uuid[])',
          [events.map((each) => each.eventId)],
        )) as { n: number }[];
        return n === events.length ? true : undefined;
      },
      { what: 'the story’s events in the trail' },
    );
  });

  afterAll(async () => {
    await services.onApplicationShutdown();
    await audit?.app.close();
    await registry?.stop();
    await issuer.stop();
  });

  const storyActions = (rows: Row[]) =>
    rows
      .filter((row) => row.action !== 'trail-read')
      .map((row) => `${row.action}:${row.messageId}`);

  const wholeStory = [
    `submitted:${submission}`,
    `verified:${submission}`,
    `policy-decision:${submission}`,
    `routed:${toSchool}`,
    `routed:${toMash}`,
    `delivered:${toSchool}`,
    `delivered:${toMash}`,
    `acknowledged:${toSchool}`,
    `escalated:${toMash}`,
    `referral-outcome:${outcome}`,
    `referral-outcome:${outcomeDelivery}`,
    `delivered:${outcomeDelivery}`,
  ];

  it('shows the submission’s deliveries, their receipts and escalations and the reply, in chain order', async () => {
    // The message's own trail has only the submission's rows …
    const own = await get(`/audit/messages/${submission}/trail`);
    expect(storyActions(own.body as Row[])).toEqual(wholeStory.slice(0, 3));

    // … its correlation has the whole story, and nothing of another message about the child.
    const { status, body } = await get(`/audit/correlations/${submission}`);
    expect(status).toBe(200);
    const story = body as Story;
    expect(story.messageId).toBe(submission);
    expect(storyActions(story.rows)).toEqual(wholeStory);
    expect(story.rows.map((row) => row.seq)).toEqual(
      [...story.rows.map((row) => row.seq)].sort((a, b) => a - b),
    );
    expect(story.messageIds[0]).toBe(submission);
    expect(new Set(story.messageIds)).toEqual(
      new Set([submission, toSchool, toMash, outcome, outcomeDelivery]),
    );
    expect(JSON.stringify(story)).not.toContain(unrelated);
    // Metadata only: every member is one of a trail row's own.
    const members = new Set(story.rows.flatMap((row) => Object.keys(row)));
    expect([...members].filter((member) => !ROW_MEMBERS.has(member))).toEqual([]);
  });

  it('starts from the submission when asked with one of its deliveries or the reply', async () => {
    for (const asked of [toMash, outcomeDelivery]) {
      const { status, body } = await get(`/audit/correlations/${asked}`);
      expect(status).toBe(200);
      expect((body as Story).messageId).toBe(submission);
      expect(storyActions((body as Story).rows)).toEqual(wholeStory);
    }
  });

  it('records the read, and answers a message with no rows with an empty story', async () => {
    const [read] = (await db.query(
      `SELECT actor, detail FROM audit_record
        WHERE action = 'trail-read' AND message_id = $1 AND detail = 'correlation trail'`,
      [submission],
    )) as { actor: string; detail: string }[];
    expect(read).toEqual({ actor: 'auditor-ann', detail: 'correlation trail' });
    const nothing = randomUUID();
    const { status, body } = await get(`/audit/correlations/${nothing}`);
    expect(status).toBe(200);
    expect(storyActions((body as Story).rows)).toEqual([]);
  });

  it('is for auditors only, and refuses an id that is not a message id with a 400 naming it', async () => {
    expect((await get(`/audit/correlations/${submission}`, null)).status).toBe(401);
    const admin = await issuer.token({ roles: ['admin'], subject: 'admin-bob' });
    expect((await get(`/audit/correlations/${submission}`, admin)).status).toBe(403);
    const bad = await get('/audit/correlations/not-a-message');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('messageId');
  });
});
