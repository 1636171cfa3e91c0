/**
 * Issue 16 item 2: "who has received data about this child" (UK GDPR Art. 15(1)(c)), answered
 * from the audit trail. The police notify about a child twice: once on their own law-enforcement
 * basis, which the exchange shares with the MASH (who acknowledges it), once citing social care's
 * s.47 power without a justification, which the policy refuses. An auditor asks by the child's
 * subject reference and gets the MASH's disclosure — agency, mailbox, when, which view, under
 * which basis and consent, delivered and acknowledged — and the decisions not to share, with the
 * rule; the question itself is in the trail. Real: Kafka, PostgreSQL, the hub, the police and
 * social care nodes (PoliceExchange) and the audit service.
 */
import { randomUUID } from 'node:crypto';

import request from 'supertest';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { PoliceExchange } from '../support/police-exchange';
import { eventually, RunningService, startService } from '../support/service-harness';

jest.setTimeout(240_000);

interface Disclosure {
  deliveryId: string;
  submissionId: string | null;
  viewType: string | null;
  senderAgency: string | null;
  recipientAgency: string | null;
  recipientMailbox: string | null;
  disclosedAt: string;
  ruleId: string | null;
  basis: { lawfulBasis: string | null; consent: string | null; familyInformed: boolean | null };
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  purgedAt: string | null;
}

interface Disclosures {
  subjectRef: string;
  disclosures: Disclosure[];
  notShared: {
    submissionId: string | null;
    recipientMailbox: string | null;
    ruleId: string | null;
    basis: Disclosure['basis'];
  }[];
}

describe('who has received data about a child', () => {
  const exchange = new PoliceExchange();
  let audit: RunningService;
  const subjectRef = randomUUID();

  beforeAll(async () => {
    await exchange.start();
    audit = await startService(AuditModule);
  });

  afterAll(async () => {
    await audit?.app.close();
    await exchange.stop();
  });

  const auditor = () => exchange.issuer.token({ roles: ['auditor'], subject: 'dpo-of-the-force' });
  const disclosures = async (ref: string, token?: string) =>
    request(audit.url)
      .get(`/audit/subjects/${encodeURIComponent(ref)}/disclosures`)
      .set('Authorization', `Bearer ${token ?? (await auditor())}`);

  it('lists each disclosure with its basis and acknowledgement, and each refusal with its rule', async () => {
    const shared = await exchange.submit(exchange.notification({}, { subjectRef }));
    const sharedId = shared.notifications[0].messageId;
    await exchange.untilStatus(
      shared.incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the notification delivered to the MASH',
    );
    // The MASH acknowledges what it received.
    const mashToken = await exchange.issuer.token({
      roles: ['mailbox-user'],
      mailboxes: ['mash'],
      subject: 'mash-duty-worker',
    });
    const list = await request(exchange.socialCare.url)
      .get('/mailboxes/mash/notifications')
      .set('Authorization', `Bearer ${mashToken}`);
    const deliveries = await exchange.hubDb.query(
      'SELECT id FROM delivery WHERE submission_id = $1 AND mailbox_id = $2',
      [sharedId, 'mash'],
    );
    const deliveryId = (deliveries as { id: string }[])[0].id;
    expect((list.body as { messageId: string }[]).map((item) => item.messageId)).toContain(
      deliveryId,
    );
    const ack = await request(exchange.socialCare.url)
      .post(`/mailboxes/mash/notifications/${deliveryId}/acknowledge`)
      .set('Authorization', `Bearer ${mashToken}`);
    expect(ack.status).toBe(200);

    // The same child, citing s.47 without a justification: refused for every recipient.
    const refused = await exchange.submit(
      exchange.notification(
        {
          lawfulBasis: 'children-act-1989-s47',
          consent: { position: 'given', by: 'the mother', at: new Date().toISOString() },
          safeguardingJustification: undefined,
        },
        { subjectRef },
      ),
    );
    const refusedId = refused.notifications[0].messageId;

    const answer = await eventually(
      async () => {
        const response = await disclosures(subjectRef);
        expect(response.status).toBe(200);
        const body = response.body as Disclosures;
        const mash = body.disclosures.find((d) => d.recipientMailbox === 'mash');
        return mash?.acknowledgedAt && body.notShared.some((n) => n.submissionId === refusedId)
          ? body
          : undefined;
      },
      { what: 'the acknowledged disclosure and the refusal in the trail', timeoutMs: 60_000 },
    );
    expect(answer.subjectRef).toBe(subjectRef);
    const mash = answer.disclosures.find((d) => d.recipientMailbox === 'mash')!;
    expect(mash).toMatchObject({
      deliveryId,
      submissionId: sharedId,
      senderAgency: 'northshire-police',
      recipientAgency: 'northshire-childrens-social-care',
      viewType: expect.stringContaining('domestic-abuse'),
      ruleId: 'encompass-mash-full',
      basis: { lawfulBasis: 'dpa2018-sch8-para4', consent: 'not-sought', familyInformed: false },
      purgedAt: null,
    });
    expect(Date.parse(mash.deliveredAt!)).toBeGreaterThanOrEqual(Date.parse(mash.disclosedAt));
    expect(Date.parse(mash.acknowledgedAt!)).toBeGreaterThanOrEqual(Date.parse(mash.deliveredAt!));
    // Nothing of the refused notification was disclosed; its refusal names the rule and basis.
    expect(answer.disclosures.filter((d) => d.submissionId === refusedId)).toEqual([]);
    const refusal = answer.notShared.find(
      (n) => n.submissionId === refusedId && n.recipientMailbox === 'mash',
    );
    expect(refusal).toMatchObject({
      ruleId: 's47-basis-is-for-social-care-enquiries',
      basis: { lawfulBasis: 'children-act-1989-s47', consent: 'given' },
    });

    // The question is in the trail: who asked, about which subject.
    const search = await request(audit.url)
      .get(`/audit/records?subjectRef=${encodeURIComponent(subjectRef)}&action=trail-read`)
      .set('Authorization', `Bearer ${await auditor()}`);
    expect((search.body as { rows: { actor: string; detail?: string }[] }).rows).toContainEqual(
      expect.objectContaining({ actor: 'dpo-of-the-force', detail: 'disclosures' }),
    );
  });

  it('refuses a caller who is not an auditor, and a reference that could be a name', async () => {
    const system = await exchange.issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
    });
    expect((await disclosures(subjectRef, system)).status).toBe(403);
    const named = await disclosures('Jane Doe 2016-01-01');
    expect(named.status).toBe(400);
    expect(JSON.stringify(named.body)).toContain('subjectRef');
  });
});
