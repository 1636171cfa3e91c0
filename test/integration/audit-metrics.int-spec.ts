/**
 * Real: PostgreSQL with the audit migrations in a schema of this test's own, events appended
 * through the chain's append path. Faked: the events, appended as the services emit them (the
 * referral loop's end to end in test/e2e/referral-loop.e2e-spec.ts; MARAC's are not built yet).
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, REFERRAL, REFERRAL_OUTCOME } from '@app/contracts';
import { DataSource } from 'typeorm';

import { ChainAppender } from '../../apps/audit/src/chain/chain-appender.service';
import { PartnershipMetricsService } from '../../apps/audit/src/partnership/partnership-metrics.service';
import { auditEvent, createAuditSchema } from '../support/audit-schema';

const T0 = Date.UTC(2031, 2, 3, 9, 0, 0);
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('partnership metrics computed from the trail', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  let metrics: PartnershipMetricsService;

  beforeAll(async () => {
    ({ db, drop } = await createAuditSchema());
    metrics = new PartnershipMetricsService(db);
    const events: AuditEvent[] = [];
    const police = { senderAgency: 'police', messageType: 'domestic-abuse-incident' };
    const toSchool = { ...police, recipientAgency: 'school', recipientMailbox: 'hill-dsl' };

    // Three incidents to a school: delivered after 10, 20, 30 s; acknowledged on time, late, never.
    const incidents: [number, number, number | null][] = [
      [0, 10 * S, 30 * MIN],
      [1 * MIN, 20 * S, 2 * H],
      [2 * MIN, 30 * S, null],
    ];
    for (const [submittedAt, deliveryDelay, ackDelay] of incidents) {
      const messageId = randomUUID();
      const delivered = submittedAt + deliveryDelay;
      events.push(
        auditEvent({ ...police, action: 'submitted', messageId, occurredAt: at(submittedAt) }),
      );
      events.push(
        auditEvent({
          ...toSchool,
          action: 'delivered',
          messageId,
          occurredAt: at(delivered),
          deadline: at(submittedAt + H),
        }),
      );
      if (ackDelay !== null) {
        events.push(
          auditEvent({
            ...toSchool,
            action: 'acknowledged',
            messageId,
            occurredAt: at(submittedAt + ackDelay),
          }),
        );
      } else {
        events.push(
          auditEvent({
            ...toSchool,
            action: 'escalated',
            messageId,
            occurredAt: at(submittedAt + H),
          }),
        );
      }
    }

    // Referrals from the school to social care: outcomes after 4 h and 8 h, one never.
    const referrals: [number | undefined, number | null][] = [
      [80, 4 * H],
      [60, null],
      [undefined, 8 * H],
    ];
    for (const [completeness, outcomeDelay] of referrals) {
      const messageId = randomUUID();
      // As the hub records a referral it verified (the node's own `submitted` event names no
      // agency, and does not count).
      events.push(
        auditEvent({
          action: 'submitted',
          actor: 'education',
          messageId,
          senderNode: 'education',
          senderAgency: undefined,
          messageType: REFERRAL.type,
          occurredAt: at(0),
          ...(completeness === undefined ? {} : { completeness }),
        }),
        auditEvent({
          action: 'verified',
          actor: 'hub',
          messageId,
          senderAgency: 'school',
          messageType: REFERRAL.type,
          recipientAgency: undefined,
          recipientMailbox: undefined,
          occurredAt: at(0),
          ...(completeness === undefined ? {} : { completeness }),
        }),
      );
      if (outcomeDelay !== null) {
        events.push(
          auditEvent({
            action: 'referral-outcome',
            messageId: randomUUID(),
            correlationId: messageId,
            senderAgency: 'mash',
            messageType: REFERRAL_OUTCOME.type,
            occurredAt: at(outcomeDelay),
          }),
        );
      }
    }

    // MARAC information requests to health: answered on time, late, not at all.
    const requests: (number | null)[] = [2 * H, 48 * H, null];
    for (const responseDelay of requests) {
      const messageId = randomUUID();
      events.push(
        auditEvent({
          action: 'marac-request',
          messageId,
          senderAgency: 'marac',
          recipientAgency: 'health',
          messageType: 'marac-information-request',
          occurredAt: at(0),
          deadline: at(24 * H),
        }),
      );
      if (responseDelay !== null) {
        events.push(
          auditEvent({
            action: 'marac-response',
            messageId: randomUUID(),
            correlationId: messageId,
            senderAgency: 'health',
            messageType: 'marac-information-response',
            occurredAt: at(responseDelay),
          }),
        );
      }
    }

    // Outside the range: must not count.
    const old = randomUUID();
    events.push(
      auditEvent({ ...police, action: 'submitted', messageId: old, occurredAt: at(-48 * H) }),
    );
    events.push(
      auditEvent({ ...toSchool, action: 'delivered', messageId: old, occurredAt: at(-47 * H) }),
    );

    await new ChainAppender(db).appendBatch(events);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('gives median and 90th percentile times, on-time and feedback shares, escalations and MARAC response rates', async () => {
    const result = await metrics.compute(at(-1 * H), at(24 * H));
    expect(result.groups).toEqual([
      {
        agency: 'health',
        messageType: 'marac-information-request',
        maracResponses: { requests: 3, responded: 2, onTime: 1, rate: 2 / 3 },
      },
      {
        agency: 'police',
        messageType: 'domestic-abuse-incident',
        // percentile_cont over 10, 20, 30 s: median 20 s, 90th 28 s.
        submissionToDelivery: { count: 3, p50Ms: 20 * S, p90Ms: 28 * S },
      },
      {
        agency: 'school',
        messageType: 'domestic-abuse-incident',
        // Acknowledged 29 min 50 s and 1 h 59 min 40 s after delivery; the third never.
        deliveryToAcknowledgement: {
          delivered: 3,
          count: 2,
          p50Ms: ((1790 + 7180) / 2) * S,
          p90Ms: (1790 + 0.9 * (7180 - 1790)) * S,
        },
        acknowledgedBeforeDeadline: { withDeadline: 3, onTime: 1, share: 1 / 3 },
        escalations: 1,
      },
      {
        agency: 'school',
        messageType: REFERRAL.type,
        referralToOutcome: { referrals: 3, count: 2, share: 2 / 3, p50Ms: 6 * H, p90Ms: 7.6 * H },
        referralCompleteness: { scored: 2, mean: 70, median: 70 },
      },
    ]);
  });

  it('counts nothing outside the range', async () => {
    expect((await metrics.compute(at(-100 * H), at(-60 * H))).groups).toEqual([]);
  });
});
