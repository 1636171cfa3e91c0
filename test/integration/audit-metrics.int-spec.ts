/**
 * Real: PostgreSQL with the audit migrations in a schema of this test's own, events appended
 * through the chain's append path. Faked: the events, built field for field as the police and
 * agency nodes, the hub and the MARAC emit them (test/support/emitted-audit-events.ts), and the
 * metrics' clock. The same figures from real journeys: test/e2e/referral-loop.e2e-spec.ts.
 */
import { randomUUID } from 'node:crypto';

import {
  AuditEvent,
  CONSENT_WITHDRAWN,
  CONSENT_WITHDRAWN_VIEW,
  DOMESTIC_ABUSE_NOTIFICATION,
  ENCOMPASS_VIEW,
  ExchangeErrorCode,
  MARAC_ACTION,
  MARAC_ACTION_UPDATE,
  MARAC_ACTION_UPDATE_VIEW,
  MARAC_ACTION_VIEW,
  MARAC_ESCALATION,
  MARAC_ESCALATION_VIEW,
  MARAC_INFORMATION_REQUEST,
  MARAC_INFORMATION_REQUEST_VIEW,
  MARAC_INFORMATION_RESPONSE,
  MARAC_INFORMATION_RESPONSE_VIEW,
  MISSING_EPISODE,
  MISSING_EPISODE_VIEW,
  REFERRAL,
  REFERRAL_OUTCOME,
  REFERRAL_OUTCOME_VIEW,
  REFERRAL_VIEW,
} from '@app/contracts';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { ChainAppender } from '../../apps/audit/src/chain/chain-appender.service';
import { PartnershipMetricsService } from '../../apps/audit/src/partnership/partnership-metrics.service';
import { createAuditSchema } from '../support/audit-schema';
import {
  acknowledged,
  delivered,
  delivery,
  EDUCATION,
  HEALTH,
  hubEscalated,
  hubRejected,
  hubRouted,
  hubSuperseded,
  MARAC,
  maracEvents,
  nodeMaracActionAcknowledged,
  nodeMaracResponse,
  nodeReferralOutcome,
  nodeSubmitted,
  Party,
  POLICE,
  SOCIAL_CARE,
  submission,
} from '../support/emitted-audit-events';

const T0 = Date.UTC(2031, 2, 3, 9, 0, 0);
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;
/** The metrics' now: a deadline after it, neither met nor escalated, is pending. */
const NOW = T0 + 10 * H;

const SCHOOL = 'school-990101-dsl';
const MASH = 'mash';
const HOMES: Party = { node: 'homes', agency: 'northshire-homes' };

class FixedClock extends Clock {
  override now(): Date {
    return new Date(NOW);
  }
}

/** Police notify the school of four incidents (Operation Encompass). */
function domesticAbuse(): AuditEvent[] {
  const events: AuditEvent[] = [];
  // [submitted, delivered after, acknowledgement deadline, escalated, acknowledged]
  const incidents: [number, number, number, boolean, number | null][] = [
    [0, 10 * S, 1 * H, false, 30 * MIN], // on time
    [1 * MIN, 20 * S, 1 * H + 1 * MIN, true, 2 * H], // escalated, then acknowledged late
    [2 * MIN, 30 * S, 1 * H + 2 * MIN, true, null], // escalated, never acknowledged
    [9 * H, 40 * S, 13 * H, false, null], // not due yet at NOW: pending
  ];
  for (const [sentAt, after, dueAt, escalated, acknowledgedAt] of incidents) {
    const sent = submission({ type: DOMESTIC_ABUSE_NOTIFICATION.type, sender: POLICE });
    const toSchool = delivery({
      submission: sent,
      viewType: ENCOMPASS_VIEW.type,
      recipient: EDUCATION,
      mailbox: SCHOOL,
    });
    events.push(
      nodeSubmitted(sent, at(sentAt), randomUUID()),
      ...hubRouted(sent, at(sentAt + 1 * S), [
        {
          delivery: toSchool,
          acknowledgeBy: at(dueAt),
          deadlines: `acknowledgement by ${at(dueAt)}`,
        },
      ]),
      ...delivered(toSchool, at(sentAt + after), { dueAt: at(dueAt) }),
    );
    if (escalated) events.push(hubEscalated(toSchool, 'acknowledgement', at(dueAt), at(dueAt)));
    if (acknowledgedAt !== null) {
      events.push(...acknowledged(toSchool, at(acknowledgedAt), at(dueAt)));
    }
  }
  return events;
}

/** The school refers three children to the MASH; two outcomes come back. */
function referrals(): AuditEvent[] {
  const events: AuditEvent[] = [];
  const acknowledgeBy = at(24 * H);
  const cases: [number, number | null, number | null][] = [
    [80, 1 * H, 4 * H],
    [60, 1 * H, 8 * H],
    [70, null, null],
  ];
  for (const [completeness, acknowledgedAt, outcomeAt] of cases) {
    const referral = submission({ type: REFERRAL.type, sender: EDUCATION, completeness });
    const toMash = delivery({
      submission: referral,
      viewType: REFERRAL_VIEW.type,
      recipient: SOCIAL_CARE,
      mailbox: MASH,
    });
    events.push(
      nodeSubmitted(referral, at(0)),
      ...hubRouted(referral, at(1 * S), [
        {
          delivery: toMash,
          acknowledgeBy,
          deadlines: `acknowledgement by ${acknowledgeBy}; outcome by ${at(48 * H)}`,
        },
      ]),
      ...delivered(toMash, at(5 * S), { dueAt: acknowledgeBy }),
    );
    if (acknowledgedAt !== null) {
      events.push(...acknowledged(toMash, at(acknowledgedAt), acknowledgeBy));
    }
    if (outcomeAt !== null) {
      // Social care's outcome to the referrer's mailbox: a reply, correlating the referral.
      const outcome = {
        ...submission({ type: REFERRAL_OUTCOME.type, sender: SOCIAL_CARE }),
        subjectRef: referral.subjectRef,
        correlationId: referral.id,
      };
      const toReferrer = delivery({
        submission: outcome,
        viewType: REFERRAL_OUTCOME_VIEW.type,
        recipient: EDUCATION,
        mailbox: SCHOOL,
      });
      events.push(
        nodeReferralOutcome(outcome, toMash, at(outcomeAt - 2 * S)),
        ...hubRouted(outcome, at(outcomeAt + 1 * S), [
          { delivery: toReferrer, action: 'referral-outcome' },
        ]),
        // Not a mailbox notification: no receipt.
        ...delivered(toReferrer, at(outcomeAt + 3 * S), { receipt: false }),
      );
    }
  }
  return events;
}

/**
 * Police report a missing episode twice to the school and the MASH; the second report
 * supersedes the first's acknowledgement deadlines, and both mailboxes acknowledge it.
 */
function missingEpisode(): AuditEvent[] {
  const events: AuditEvent[] = [];
  const episodeId = randomUUID();
  const acknowledgeBy = at(23 * H);
  const reports = [3 * H, 4 * H].map((sentAt) => {
    const report = submission({ type: MISSING_EPISODE.type, sender: POLICE });
    const to = [
      [EDUCATION, SCHOOL],
      [SOCIAL_CARE, MASH],
    ].map(([recipient, mailbox]) =>
      delivery({
        submission: report,
        viewType: MISSING_EPISODE_VIEW.type,
        recipient: recipient as Party,
        mailbox: mailbox as string,
      }),
    );
    events.push(
      nodeSubmitted(report, at(sentAt), episodeId),
      ...hubRouted(
        report,
        at(sentAt + 1 * S),
        to.map((target) => ({
          delivery: target,
          acknowledgeBy,
          deadlines: `acknowledgement by ${acknowledgeBy}`,
        })),
      ),
      ...to.flatMap((target) => delivered(target, at(sentAt + 15 * S), { dueAt: acknowledgeBy })),
    );
    return { report, to };
  });
  const [first, second] = reports;
  events.push(
    ...first.to.map((target) => hubSuperseded(target, second.report, acknowledgeBy, at(4 * H))),
    ...acknowledged(second.to[0], at(5 * H), acknowledgeBy),
    ...acknowledged(second.to[1], at(6 * H), acknowledgeBy),
  );
  return events;
}

/** Police withdraw consent; the school, told before under consent, is told and acknowledges. */
function consentWithdrawal(): AuditEvent[] {
  const withdrawal = submission({ type: CONSENT_WITHDRAWN.type, sender: POLICE });
  const toSchool = delivery({
    submission: withdrawal,
    viewType: CONSENT_WITHDRAWN_VIEW.type,
    recipient: EDUCATION,
    mailbox: SCHOOL,
  });
  const acknowledgeBy = at(31 * H);
  return [
    nodeSubmitted(withdrawal, at(7 * H)),
    ...hubRouted(withdrawal, at(7 * H + 1 * S), [
      {
        delivery: toSchool,
        action: 'consent-withdrawn',
        acknowledgeBy,
        deadlines: `acknowledgement by ${acknowledgeBy}`,
      },
    ]),
    ...delivered(toSchool, at(7 * H + 12 * S), { dueAt: acknowledgeBy }),
    ...acknowledged(toSchool, at(7 * H + 1 * MIN), acknowledgeBy),
  ];
}

/**
 * A MARAC case: research requested of health three times (answered on time, late, not at all
 * and escalated by the MARAC), once of a housing agency the registry does not have as a member
 * (refused by the hub), and an action for police, acknowledged through the action.
 */
function maracCase(): AuditEvent[] {
  const events: AuditEvent[] = [];
  const caseId = randomUUID();
  const dueAt = at(5 * H);
  const requestTo = (to: Party, mailbox: string) => {
    const request = submission({ type: MARAC_INFORMATION_REQUEST.type, sender: MARAC });
    events.push(maracEvents.request(request, caseId, to, mailbox, dueAt, at(0)));
    return request;
  };

  for (const answeredAt of [2 * H, 7 * H, null]) {
    const request = requestTo(HEALTH, 'health-visiting');
    const toHealth = delivery({
      submission: request,
      viewType: MARAC_INFORMATION_REQUEST_VIEW.type,
      recipient: HEALTH,
      mailbox: 'health-visiting',
    });
    events.push(
      ...hubRouted(request, at(1 * S), [{ delivery: toHealth }]),
      ...delivered(toHealth, at(3 * S), { dueAt }),
    );
    if (answeredAt !== null) {
      const answer = {
        ...submission({ type: MARAC_INFORMATION_RESPONSE.type, sender: HEALTH }),
        subjectRef: request.subjectRef,
        correlationId: request.id,
      };
      const toCoordinator = delivery({
        submission: answer,
        viewType: MARAC_INFORMATION_RESPONSE_VIEW.type,
        recipient: MARAC,
        mailbox: 'marac-coordinator',
      });
      events.push(
        nodeMaracResponse(answer, toHealth, dueAt, at(answeredAt)),
        ...hubRouted(answer, at(answeredAt + 1 * S), [
          { delivery: toCoordinator, action: 'marac-response' },
        ]),
        ...delivered(toCoordinator, at(answeredAt + 2 * S)),
        maracEvents.researchReceived(toCoordinator, request, dueAt, at(answeredAt + 2 * S)),
      );
    } else {
      const escalation = submission({ type: MARAC_ESCALATION.type, sender: MARAC });
      const toEscalation = delivery({
        submission: escalation,
        viewType: MARAC_ESCALATION_VIEW.type,
        recipient: HEALTH,
        mailbox: 'health-escalation',
      });
      const escalatedAt = 5 * H + 1 * MIN;
      events.push(
        maracEvents.escalated(
          escalation,
          randomUUID(),
          HEALTH,
          'health-escalation',
          dueAt,
          at(escalatedAt),
        ),
        ...hubRouted(escalation, at(escalatedAt + 1 * S), [{ delivery: toEscalation }]),
        ...delivered(toEscalation, at(escalatedAt + 3 * S)),
      );
    }
  }

  const refused = requestTo(HOMES, 'homes-safeguarding');
  events.push(hubRejected(refused, ExchangeErrorCode.NOT_A_MARAC_MEMBER, at(1 * S)));

  const action = submission({ type: MARAC_ACTION.type, sender: MARAC });
  const actionDue = at(72 * H);
  const toPolice = delivery({
    submission: action,
    viewType: MARAC_ACTION_VIEW.type,
    recipient: POLICE,
    mailbox: 'police-safeguarding-hub',
  });
  const update = {
    ...submission({ type: MARAC_ACTION_UPDATE.type, sender: POLICE }),
    subjectRef: action.subjectRef,
    correlationId: action.id,
  };
  const updateToCoordinator = delivery({
    submission: update,
    viewType: MARAC_ACTION_UPDATE_VIEW.type,
    recipient: MARAC,
    mailbox: 'marac-coordinator',
  });
  events.push(
    maracEvents.action(action, caseId, POLICE, 'police-safeguarding-hub', actionDue, at(0)),
    ...hubRouted(action, at(1 * S), [{ delivery: toPolice }]),
    ...delivered(toPolice, at(4 * S), { dueAt: actionDue }),
    nodeMaracActionAcknowledged(update, toPolice, actionDue, at(30 * MIN)),
    // The hub routes the acknowledgement to the coordinator, audited `acknowledged` itself.
    ...hubRouted(update, at(30 * MIN + 1 * S), [
      { delivery: updateToCoordinator, action: 'acknowledged' },
    ]),
    ...delivered(updateToCoordinator, at(30 * MIN + 2 * S)),
    maracEvents.actionAcknowledged(
      action,
      caseId,
      POLICE,
      'police-safeguarding-hub',
      at(30 * MIN + 2 * S),
    ),
  );
  return events;
}

/** A notification long before the range: none of it counts. */
function outsideTheRange(): AuditEvent[] {
  const sent = submission({ type: DOMESTIC_ABUSE_NOTIFICATION.type, sender: POLICE });
  const toSchool = delivery({
    submission: sent,
    viewType: ENCOMPASS_VIEW.type,
    recipient: EDUCATION,
    mailbox: SCHOOL,
  });
  return [
    nodeSubmitted(sent, at(-48 * H)),
    ...hubRouted(sent, at(-48 * H + 1 * S), [{ delivery: toSchool, acknowledgeBy: at(-40 * H) }]),
    ...delivered(toSchool, at(-47 * H), { dueAt: at(-40 * H) }),
    ...acknowledged(toSchool, at(-46 * H), at(-40 * H)),
  ];
}

describe('partnership metrics computed from the trail', () => {
  let db: DataSource;
  let drop: () => Promise<void>;
  let metrics: PartnershipMetricsService;

  beforeAll(async () => {
    ({ db, drop } = await createAuditSchema());
    metrics = new PartnershipMetricsService(db, new FixedClock());
    await new ChainAppender(db).appendBatch([
      ...domesticAbuse(),
      ...referrals(),
      ...missingEpisode(),
      ...consentWithdrawal(),
      ...maracCase(),
      ...outsideTheRange(),
    ]);
  });

  afterAll(async () => {
    await drop?.();
  });

  it('attributes each figure to the agency measured and the submission type, from the events the services emit', async () => {
    const result = await metrics.compute(at(-1 * H), at(24 * H));
    const noAcknowledgements = { count: 0, p50Ms: null, p90Ms: null };
    expect(result.groups).toEqual([
      {
        agency: 'northshire-childrens-social-care',
        messageType: MISSING_EPISODE.type,
        // Report 2 acknowledged 6 h − (4 h + 15 s) after delivery; report 1 was superseded.
        deliveryToAcknowledgement: { delivered: 2, count: 1, p50Ms: 7185 * S, p90Ms: 7185 * S },
        acknowledgedBeforeDeadline: { withDeadline: 1, pending: 0, onTime: 1, share: 1 },
        escalations: 0,
      },
      {
        agency: 'northshire-childrens-social-care',
        messageType: REFERRAL.type,
        deliveryToAcknowledgement: { delivered: 3, count: 2, p50Ms: 3595 * S, p90Ms: 3595 * S },
        // The third is neither acknowledged nor due at NOW.
        acknowledgedBeforeDeadline: { withDeadline: 3, pending: 1, onTime: 2, share: 1 },
        escalations: 0,
      },
      {
        agency: 'northshire-community-health',
        messageType: MARAC_ESCALATION.type,
        deliveryToAcknowledgement: { delivered: 1, ...noAcknowledgements },
      },
      {
        agency: 'northshire-community-health',
        messageType: MARAC_INFORMATION_REQUEST.type,
        deliveryToAcknowledgement: { delivered: 3, ...noAcknowledgements },
        // The housing agency's request was refused by the hub: it was never asked.
        maracResponses: { requests: 3, responded: 2, onTime: 1, rate: 2 / 3 },
      },
      {
        agency: 'northshire-education',
        messageType: CONSENT_WITHDRAWN.type,
        deliveryToAcknowledgement: { delivered: 1, count: 1, p50Ms: 48 * S, p90Ms: 48 * S },
        acknowledgedBeforeDeadline: { withDeadline: 1, pending: 0, onTime: 1, share: 1 },
        escalations: 0,
      },
      {
        agency: 'northshire-education',
        messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
        // Acknowledged 30 min − 10 s and 2 h − 80 s after delivery: 1790 s and 7120 s.
        deliveryToAcknowledgement: {
          delivered: 4,
          count: 2,
          p50Ms: ((1790 + 7120) / 2) * S,
          p90Ms: (1790 + 0.9 * (7120 - 1790)) * S,
        },
        // One on time; two late (both escalated, one acknowledged after); one not due yet.
        acknowledgedBeforeDeadline: { withDeadline: 4, pending: 1, onTime: 1, share: 1 / 3 },
        escalations: 2,
      },
      {
        agency: 'northshire-education',
        messageType: MISSING_EPISODE.type,
        deliveryToAcknowledgement: { delivered: 2, count: 1, p50Ms: 3585 * S, p90Ms: 3585 * S },
        acknowledgedBeforeDeadline: { withDeadline: 1, pending: 0, onTime: 1, share: 1 },
        escalations: 0,
      },
      {
        agency: 'northshire-education',
        messageType: REFERRAL.type,
        submissionToDelivery: { count: 3, p50Ms: 5 * S, p90Ms: 5 * S },
        // From the hub verifying each referral to it routing the outcome: 4 h and 8 h.
        referralToOutcome: { referrals: 3, count: 2, share: 2 / 3, p50Ms: 6 * H, p90Ms: 7.6 * H },
        referralCompleteness: { scored: 3, mean: 70, median: 70 },
      },
      {
        agency: 'northshire-education',
        messageType: REFERRAL_OUTCOME.type,
        deliveryToAcknowledgement: { delivered: 2, ...noAcknowledgements },
      },
      {
        agency: 'northshire-marac',
        messageType: MARAC_ACTION.type,
        submissionToDelivery: { count: 1, p50Ms: 4 * S, p90Ms: 4 * S },
      },
      {
        agency: 'northshire-marac',
        messageType: MARAC_ACTION_UPDATE.type,
        // The hub's own `acknowledged` routing of the update is not the coordinator's.
        deliveryToAcknowledgement: { delivered: 1, ...noAcknowledgements },
      },
      {
        agency: 'northshire-marac',
        messageType: MARAC_ESCALATION.type,
        // From the MARAC's own `escalated` of the message to the member node's `delivered`.
        submissionToDelivery: { count: 1, p50Ms: 3 * S, p90Ms: 3 * S },
      },
      {
        agency: 'northshire-marac',
        messageType: MARAC_INFORMATION_REQUEST.type,
        submissionToDelivery: { count: 3, p50Ms: 3 * S, p90Ms: 3 * S },
      },
      {
        agency: 'northshire-marac',
        messageType: MARAC_INFORMATION_RESPONSE.type,
        deliveryToAcknowledgement: { delivered: 2, ...noAcknowledgements },
      },
      {
        agency: 'northshire-police',
        messageType: CONSENT_WITHDRAWN.type,
        submissionToDelivery: { count: 1, p50Ms: 12 * S, p90Ms: 12 * S },
      },
      {
        agency: 'northshire-police',
        messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
        // percentile_cont over 10, 20, 30, 40 s: median 25 s, 90th 37 s.
        submissionToDelivery: { count: 4, p50Ms: 25 * S, p90Ms: 37 * S },
      },
      {
        agency: 'northshire-police',
        messageType: MARAC_ACTION.type,
        // Acknowledged through the action (a marac-action-update) 30 min − 4 s after delivery.
        deliveryToAcknowledgement: { delivered: 1, count: 1, p50Ms: 1796 * S, p90Ms: 1796 * S },
      },
      {
        agency: 'northshire-police',
        messageType: MISSING_EPISODE.type,
        submissionToDelivery: { count: 4, p50Ms: 15 * S, p90Ms: 15 * S },
      },
    ]);
  });

  it('counts a delivery in the range the hub routed it in, and its later events whenever they happened', async () => {
    // From the second incident on: the first incident's delivery and acknowledgement are out.
    const result = await metrics.compute(at(30 * S), at(2 * MIN + 30 * S));
    expect(result.groups).toEqual([
      {
        agency: 'northshire-education',
        messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
        deliveryToAcknowledgement: { delivered: 2, count: 1, p50Ms: 7120 * S, p90Ms: 7120 * S },
        acknowledgedBeforeDeadline: { withDeadline: 2, pending: 0, onTime: 0, share: 0 },
        escalations: 2,
      },
      {
        agency: 'northshire-police',
        messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
        submissionToDelivery: { count: 2, p50Ms: 25 * S, p90Ms: 29 * S },
      },
    ]);
  });

  it('narrows to one agency and type, and gives each duration’s distribution in time bands when asked', async () => {
    const band = (underMs: number | null, count: number) => ({ underMs, count });
    const empty = (...bounds: (number | null)[]) => bounds.map((bound) => band(bound, 0));
    const police = await metrics.compute(at(-1 * H), at(24 * H), {
      agency: 'northshire-police',
      messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
      distribution: true,
    });
    expect(police.groups).toEqual([
      {
        agency: 'northshire-police',
        messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
        // 10, 20, 30 and 40 s: all four at least 10 s and under a minute.
        submissionToDelivery: {
          count: 4,
          p50Ms: 25 * S,
          p90Ms: 37 * S,
          distribution: [
            band(10 * S, 0),
            band(MIN, 4),
            ...empty(10 * MIN, H, 4 * H, 24 * H, 72 * H, null),
          ],
        },
      },
    ]);
    const schools = await metrics.compute(at(-1 * H), at(24 * H), {
      agency: 'northshire-education',
      messageType: DOMESTIC_ABUSE_NOTIFICATION.type,
      distribution: true,
    });
    // Acknowledged 1790 s (under an hour) and 7120 s (under four hours) after delivery.
    expect(schools.groups[0].deliveryToAcknowledgement?.distribution).toEqual([
      ...empty(10 * S, MIN, 10 * MIN),
      band(H, 1),
      band(4 * H, 1),
      ...empty(24 * H, 72 * H, null),
    ]);
    // Without `distribution`, the figures are as before.
    const plain = await metrics.compute(at(-1 * H), at(24 * H), { agency: 'northshire-police' });
    expect(plain.groups.map((group) => group.messageType)).toEqual([
      CONSENT_WITHDRAWN.type,
      DOMESTIC_ABUSE_NOTIFICATION.type,
      MARAC_ACTION.type,
      MISSING_EPISODE.type,
    ]);
    expect(JSON.stringify(plain)).not.toContain('distribution');
  });

  it('counts nothing outside the range', async () => {
    expect((await metrics.compute(at(-100 * H), at(-60 * H))).groups).toEqual([]);
  });
});
