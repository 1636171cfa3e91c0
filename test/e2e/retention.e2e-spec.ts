/**
 * Issue 16 item 1, end to end: a purge keeps the trail provable. The police notify the MASH
 * about two children; the MASH acknowledges the first. Past the period (a `now` the test sets,
 * instead of waiting) social care's purge clears the acknowledged delivery and keeps the other;
 * the hub's purge turns the first delivery into a tombstone and deletes its deadline, and keeps
 * the one still waiting. Each purge is a signed `purged` event; the audit service chains it,
 * `GET /audit/verify` passes over every row since the first submission, and the first child's
 * disclosure shows it purged, with when and the rule. Real: Kafka, PostgreSQL, the hub, the
 * police and social care nodes (PoliceExchange) and the audit service.
 */
import { randomUUID } from 'node:crypto';

import { RetentionPurger } from '@app/retention';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { PoliceExchange } from '../support/police-exchange';
import { eventually, RunningService, startService } from '../support/service-harness';

jest.setTimeout(240_000);

const DAY_MS = 24 * 60 * 60 * 1000;

interface Disclosure {
  deliveryId: string;
  recipientMailbox: string | null;
  acknowledgedAt: string | null;
  purgedAt: string | null;
  purgeRule: string | null;
}

describe('retention keeps the trail provable', () => {
  const exchange = new PoliceExchange();
  let audit: RunningService;
  let auditDb: DataSource;

  beforeAll(async () => {
    await exchange.start();
    audit = await startService(AuditModule);
    auditDb = audit.app.get(DataSource);
  });

  afterAll(async () => {
    await audit?.app.close();
    await exchange.stop();
  });

  const auditor = () => exchange.issuer.token({ roles: ['auditor'], subject: 'dpo-of-the-area' });
  const mashToken = () =>
    exchange.issuer.token({ roles: ['mailbox-user'], mailboxes: ['mash'], subject: 'mash-duty' });

  /** Notifies the MASH about a new child; returns the child's reference and the delivery id. */
  async function notifyMash(): Promise<{ subjectRef: string; deliveryId: string }> {
    const subjectRef = randomUUID();
    const submitted = await exchange.submit(exchange.notification({}, { subjectRef }));
    await exchange.untilStatus(
      submitted.incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the notification delivered to the MASH',
    );
    const [delivery] = (await exchange.hubDb.query(
      'SELECT id FROM delivery WHERE submission_id = $1 AND mailbox_id = $2',
      [submitted.notifications[0].messageId, 'mash'],
    )) as { id: string }[];
    return { subjectRef, deliveryId: delivery.id };
  }

  it('purges past the period with tombstones; verify passes and the disclosure shows it purged', async () => {
    const acknowledged = await notifyMash();
    const waiting = await notifyMash();
    const [first] = (await auditDb.query(
      'SELECT min(seq) AS seq FROM audit_record WHERE subject_ref = $1',
      [acknowledged.subjectRef],
    )) as { seq: string | null }[];
    const ack = await request(exchange.socialCare.url)
      .post(`/mailboxes/mash/notifications/${acknowledged.deliveryId}/acknowledge`)
      .set('Authorization', `Bearer ${await mashToken()}`);
    expect(ack.status).toBe(200);
    // The hub has the receipt: the acknowledgement deadline is met.
    await eventually(
      async () => {
        const rows = (await exchange.hubDb.query(
          `SELECT state FROM deadline WHERE delivery_id = $1 AND kind = 'acknowledgement'`,
          [acknowledged.deliveryId],
        )) as { state: string }[];
        return rows[0]?.state === 'met' ? true : undefined;
      },
      { what: "the hub's acknowledgement deadline met" },
    );

    // 31 days on, at the MASH's node: past inbox-acknowledged for the acknowledged one only.
    const nodePurge = new Date(Date.now() + 31 * DAY_MS);
    await exchange.socialCare.app.get(RetentionPurger).run(nodePurge);
    const node = exchange.socialCare.app.get(DataSource);
    const bodies = (await node.query(
      'SELECT message_id, body IS NULL AS purged FROM inbox_message WHERE message_id = ANY($1)',
      [[acknowledged.deliveryId, waiting.deliveryId]],
    )) as { message_id: string; purged: boolean }[];
    expect(Object.fromEntries(bodies.map((row) => [row.message_id, row.purged]))).toEqual({
      [acknowledged.deliveryId]: true,
      [waiting.deliveryId]: false,
    });
    const read = await request(exchange.socialCare.url)
      .get(`/mailboxes/mash/notifications/${acknowledged.deliveryId}`)
      .set('Authorization', `Bearer ${await mashToken()}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'acknowledged',
      purgedAt: nodePurge.toISOString(),
      purgeRule: 'inbox-acknowledged',
      notification: null,
    });

    // A year and more on, at the hub: the closed delivery becomes a tombstone, the open one stays.
    const hubPurge = new Date(Date.now() + 400 * DAY_MS);
    await exchange.hub.app.get(RetentionPurger).run(hubPurge);
    const deliveries = (await exchange.hubDb.query(
      `SELECT id, subject_ref, acknowledged_by, purged_at, purge_rule,
              (SELECT count(*)::int FROM deadline x WHERE x.delivery_id = d.id) AS deadlines
         FROM delivery d WHERE id = ANY($1)`,
      [[acknowledged.deliveryId, waiting.deliveryId]],
    )) as {
      id: string;
      subject_ref: string | null;
      acknowledged_by: string | null;
      purged_at: Date | null;
      purge_rule: string | null;
      deadlines: number;
    }[];
    const byId = new Map(deliveries.map((row) => [row.id, row]));
    expect(byId.get(acknowledged.deliveryId)).toMatchObject({
      subject_ref: null,
      acknowledged_by: null,
      purged_at: hubPurge,
      purge_rule: 'hub-delivery-closed',
      deadlines: 0,
    });
    expect(byId.get(waiting.deliveryId)).toMatchObject({
      subject_ref: waiting.subjectRef,
      purged_at: null,
    });
    expect(byId.get(waiting.deliveryId)!.deadlines).toBeGreaterThan(0);

    // The purges reach the trail as signed events, chained like the rest; the chain still verifies.
    const answer = await eventually(
      async () => {
        const response = await request(audit.url)
          .get(`/audit/subjects/${encodeURIComponent(acknowledged.subjectRef)}/disclosures`)
          .set('Authorization', `Bearer ${await auditor()}`);
        expect(response.status).toBe(200);
        const mash = (response.body as { disclosures: Disclosure[] }).disclosures.find(
          (d) => d.deliveryId === acknowledged.deliveryId,
        );
        return mash?.purgedAt ? mash : undefined;
      },
      { what: 'the purge in the disclosure history', timeoutMs: 60_000 },
    );
    expect(answer).toMatchObject({
      recipientMailbox: 'mash',
      purgedAt: nodePurge.toISOString(),
      purgeRule: 'inbox-acknowledged',
    });
    expect(answer.acknowledgedAt).not.toBeNull();
    const hubEvent = await eventually(
      async () => {
        const rows = (await auditDb.query(
          `SELECT actor, rule_id FROM audit_record WHERE action = 'purged' AND message_id = $1`,
          [acknowledged.deliveryId],
        )) as { actor: string; rule_id: string }[];
        return rows.length === 2 ? rows : undefined;
      },
      { what: "the node's and the hub's purge events in the chain" },
    );
    expect(hubEvent.map((row) => `${row.actor} ${row.rule_id}`).sort()).toEqual([
      'hub hub-delivery-closed',
      'social-care inbox-acknowledged',
    ]);
    const waitingDisclosure = (
      (
        await request(audit.url)
          .get(`/audit/subjects/${encodeURIComponent(waiting.subjectRef)}/disclosures`)
          .set('Authorization', `Bearer ${await auditor()}`)
      ).body as { disclosures: Disclosure[] }
    ).disclosures.find((d) => d.deliveryId === waiting.deliveryId);
    expect(waitingDisclosure).toMatchObject({ purgedAt: null, purgeRule: null });

    const verified = await request(audit.url)
      .get(`/audit/verify?fromSeq=${first.seq}`)
      .set('Authorization', `Bearer ${await auditor()}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
  });
});
