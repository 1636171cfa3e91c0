/**
 * Issue 17, journey 4: the police node's list endpoints, GET /incidents and GET /missing-episodes
 * — the force's own, newest first, a keyset page at a time, each incident with every recipient's
 * status as GET /incidents/:incidentId/notifications gives it (delivered, acknowledged by whom
 * and when, overdue, refused with the reason), and the page's limit and cursor validated at the
 * boundary. Real: the police node app as main.ts builds it on the real database, driven
 * in-process; tokens from a test issuer; the hub's keys and registry entries from a hub
 * stand-in. Faked: the hub's answers about each recipient are written into the recipient table
 * as the status handler would (the relay is off, so nothing reaches a broker).
 */
import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { HubStandIn } from '../support/hub-stand-in';
import { inProcessApp } from '../support/in-process-app';
import { TestIssuer } from '../support/test-issuer';
import { validBodies } from '../support/valid-bodies';

interface Recipient {
  role: string | null;
  mailboxId: string;
  status: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  sharingRefusal: { reason: string | null } | null;
  rejection: { code: string | null; reason: string | null } | null;
}
interface Incident {
  incidentId: string;
  policeReference: string;
  submittedAt: string;
  notifications: { messageId: string; recipients: Recipient[] }[];
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe('issue 17: the police node lists its incidents and missing episodes', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  let police: INestApplication;
  let token: string;

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    Object.assign(process.env, { HUB_JWKS_URL: hub.jwksUrl, OUTBOX_RELAY_ENABLED: 'false' });
    police = await inProcessApp(PoliceModule);
    token = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-control-room',
    });
  });

  afterAll(async () => {
    await police?.close();
    await hub.stop();
    await issuer.stop();
  });

  const get = (path: string) =>
    request(police.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  const submitIncident = async (): Promise<string> => {
    const response = await request(police.getHttpServer())
      .post('/incidents')
      .set('Authorization', `Bearer ${token}`)
      .send(validBodies.incident());
    expect(response.status).toBe(202);
    return (response.body as { incidentId: string }).incidentId;
  };

  /** What the status handler writes when the hub answers about a recipient. */
  const recipientRow = (
    messageId: string,
    mailboxId: string,
    role: string,
    facts: Record<string, Date | string>,
  ) => {
    const columns = Object.keys(facts);
    return police.get(DataSource).query(
      `INSERT INTO incident_notification_recipient
         (message_id, mailbox_id, role, acknowledge_by, ${columns.join(', ')})
       VALUES ($1, $2, $3, now() + interval '1 day', ${columns.map((_, i) => `$${i + 4}`).join(', ')})`,
      [messageId, mailboxId, role, ...Object.values(facts)],
    );
  };

  it('lists the newest incidents first, a page at a time, every page once', async () => {
    const first = await submitIncident();
    const second = await submitIncident();
    const third = await submitIncident();

    const top = await get('/incidents?limit=2');
    expect(top.status).toBe(200);
    const page = top.body as Page<Incident>;
    expect(page.items.map((incident) => incident.incidentId)).toEqual([third, second]);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(Date.parse(page.items[0].submittedAt)).toBeGreaterThanOrEqual(
      Date.parse(page.items[1].submittedAt),
    );

    const next = await get(`/incidents?limit=2&cursor=${encodeURIComponent(page.nextCursor!)}`);
    expect(next.status).toBe(200);
    const older = next.body as Page<Incident>;
    expect(older.items[0].incidentId).toBe(first);
    expect(older.items.map((incident) => incident.incidentId)).not.toContain(second);
  });

  it("shows each recipient's status: delivered, acknowledged by whom and when, overdue, refused with the reason", async () => {
    const incidentId = await submitIncident();
    const [{ message_id: messageId }] = (await police
      .get(DataSource)
      .query('SELECT message_id FROM incident_notification WHERE incident_id = $1', [
        incidentId,
      ])) as { message_id: string }[];
    const now = new Date();
    await recipientRow(messageId, 'school-990101-dsl', 'school', {
      delivered_at: now,
      acknowledged_at: now,
      acknowledged_by: 'dsl-hillside',
    });
    await recipientRow(messageId, 'school-nursing', 'health', {
      delivered_at: now,
      overdue_at: now,
    });
    await recipientRow(messageId, 'health-visiting', 'health', { delivered_at: now });
    await recipientRow(messageId, 'mash', 'mash', {
      sharing_refused_at: now,
      sharing_rule_id: 'no-mash-below-medium',
      sharing_policy_version: '3',
      sharing_refusal_reason: 'The MASH is told of high-risk incidents only',
    });

    const listed = (await get('/incidents?limit=1').expect(200)).body as Page<Incident>;
    expect(listed.items[0].incidentId).toBe(incidentId);
    const recipients = listed.items[0].notifications[0].recipients;
    const of = (mailboxId: string) => recipients.find((r) => r.mailboxId === mailboxId)!;
    expect(of('school-990101-dsl')).toMatchObject({
      role: 'school',
      status: 'acknowledged',
      acknowledgedBy: 'dsl-hillside',
      acknowledgedAt: expect.any(String),
    });
    expect(of('school-nursing')).toMatchObject({
      status: 'overdue',
      overdueAt: expect.any(String),
    });
    expect(of('health-visiting')).toMatchObject({ status: 'delivered', acknowledgedAt: null });
    expect(of('mash')).toMatchObject({
      status: 'sharing-refused',
      sharingRefusal: { reason: 'The MASH is told of high-risk incidents only' },
    });
    // The school first, as on the incident's own endpoint, which shows the very same rows.
    expect(recipients[0].role).toBe('school');
    const own = (await get(`/incidents/${incidentId}/notifications`).expect(200)).body as Incident;
    expect(own).toEqual(listed.items[0]);
  });

  it('lists its missing episodes newest first with their standing', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 2; n++) {
      const body = validBodies.missingEpisode();
      const response = await request(police.getHttpServer())
        .post('/missing-episodes')
        .set('Authorization', `Bearer ${token}`)
        .send(body);
      expect(response.status).toBe(202);
      ids.push(body.episodeId as string);
    }
    const page = (await get('/missing-episodes?limit=2').expect(200)).body as Page<{
      episodeId: string;
      kind: string;
      status: string;
      reportCount: number;
      reportedAt: string;
      recipients: unknown[];
    }>;
    expect(page.items.map((episode) => episode.episodeId)).toEqual([ids[1], ids[0]]);
    expect(page.items[0]).toMatchObject({
      kind: 'from-care',
      status: 'missing',
      reportCount: 1,
      reportedAt: expect.any(String),
      recipients: [],
    });
    // Nothing of the child in the list: the node does not keep it.
    expect(JSON.stringify(page)).not.toContain('Sam Example');
  });

  it.each([
    ['limit=0', 'limit must not be less than 1'],
    ['limit=101', 'limit must not be greater than 100'],
    ['limit=ten', 'limit must be an integer number'],
    ['cursor=yesterday', 'cursor must be the nextCursor of an earlier page'],
    [
      `cursor=${encodeURIComponent(`2026-02-30T10:00:00.000000Z~${randomUUID()}`)}`,
      'cursor must be the nextCursor of an earlier page',
    ],
    ['colour=red', 'property colour should not exist'],
  ])('refuses ?%s naming the rule', async (query, message) => {
    for (const path of ['/incidents', '/missing-episodes']) {
      const response = await get(`${path}?${query}`);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(JSON.stringify(response.body)).toContain(message);
    }
  });
});
