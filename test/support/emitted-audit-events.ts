/**
 * Audit events exactly as the services emit them, field for field, for tests of what is computed
 * from the trail (test/integration/audit-metrics.int-spec.ts). Each builder names the code it
 * copies; when that code changes what it emits, change the builder with it.
 */
import { randomUUID } from 'node:crypto';

import {
  AuditEvent,
  DeliveryAuditAction,
  ESCALATION,
  MARAC_ACTION_UPDATE,
  MARAC_INFORMATION_RESPONSE,
  RECEIPT,
  REFERRAL_OUTCOME,
} from '@app/contracts';

/** A node of the demo area and its agency (deploy/registry/demo-area.json). */
export interface Party {
  node: string;
  agency: string;
}

export const POLICE: Party = { node: 'police', agency: 'northshire-police' };
export const EDUCATION: Party = { node: 'education', agency: 'northshire-education' };
export const SOCIAL_CARE: Party = {
  node: 'social-care',
  agency: 'northshire-childrens-social-care',
};
export const HEALTH: Party = { node: 'health', agency: 'northshire-community-health' };
export const MARAC: Party = { node: 'marac', agency: 'northshire-marac' };

const HUB = 'hub';
const DIGEST = 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0';

const event = (fields: Omit<AuditEvent, 'eventId'>): AuditEvent => ({
  eventId: randomUUID(),
  ...fields,
});

/** A submission as the hub verified it. */
export interface Submission {
  id: string;
  type: string;
  subjectRef: string;
  sender: Party;
  /** The message it answers (a referral outcome's referral), as the route plan names it. */
  correlationId?: string;
  completeness?: number;
}

/** One view of a submission sealed to one mailbox. */
export interface Delivery {
  id: string;
  submission: Submission;
  viewType: string;
  recipient: Party;
  mailbox: string;
}

export function submission(fields: Omit<Submission, 'id' | 'subjectRef'> & { id?: string }) {
  return { id: randomUUID(), subjectRef: randomUUID(), ...fields } satisfies Submission;
}

export function delivery(fields: Omit<Delivery, 'id'>): Delivery {
  return { id: randomUUID(), ...fields };
}

/**
 * A node's own record of what it sends (libs/node submit-referral, report-missing-episode,
 * withdraw-consent, submit-marac-referral; apps/police-adapter submit-incident, which adds the
 * incident as correlationId).
 */
export function nodeSubmitted(sent: Submission, at: string, correlationId?: string): AuditEvent {
  return event({
    action: 'submitted',
    actor: sent.sender.node,
    occurredAt: at,
    messageId: sent.id,
    ...(correlationId ? { correlationId } : {}),
    subjectRef: sent.subjectRef,
    messageType: sent.type,
    senderNode: sent.sender.node,
    ...(sent.completeness !== undefined ? { completeness: sent.completeness } : {}),
    ...(sent.sender.node === POLICE.node ? { payloadDigest: DIGEST } : {}),
  });
}

/**
 * The hub's events of routing one submission (apps/hub/src/routing/submission-router.service.ts):
 * `verified`, then per recipient `policy-decision` and the delivery's event (`routed`, or the
 * loop it closes), whose deadline is the acknowledgement's.
 */
export function hubRouted(
  sent: Submission,
  at: string,
  recipients: {
    delivery: Delivery;
    action?: DeliveryAuditAction;
    acknowledgeBy?: string;
    deadlines?: string;
  }[],
): AuditEvent[] {
  const about = (target: Delivery) => ({
    actor: HUB,
    subjectRef: sent.subjectRef,
    senderNode: sent.sender.node,
    senderAgency: sent.sender.agency,
    recipientMailbox: target.mailbox,
    recipientAgency: target.recipient.agency,
  });
  const events = [
    event({
      actor: HUB,
      action: 'verified',
      occurredAt: at,
      messageId: sent.id,
      subjectRef: sent.subjectRef,
      messageType: sent.type,
      senderNode: sent.sender.node,
      senderAgency: sent.sender.agency,
      ...(sent.correlationId ? { correlationId: sent.correlationId } : {}),
      ...(sent.completeness !== undefined ? { completeness: sent.completeness } : {}),
      payloadDigest: DIGEST,
    }),
  ];
  for (const { delivery: target, action, acknowledgeBy, deadlines } of recipients) {
    const decided = {
      decision: 'allow-with-fields' as const,
      ruleId: 'a-rule',
      policyVersion: '2026-11-28.2',
    };
    events.push(
      event({
        ...about(target),
        action: 'policy-decision',
        occurredAt: at,
        messageId: sent.id,
        messageType: sent.type,
        ...(sent.correlationId ? { correlationId: sent.correlationId } : {}),
        ...decided,
        detail: 'consent not-sought; family not informed',
      }),
      event({
        ...about(target),
        action: action ?? 'routed',
        occurredAt: at,
        messageId: target.id,
        correlationId: sent.correlationId ?? sent.id,
        messageType: target.viewType,
        ...decided,
        ...(acknowledgeBy ? { deadline: acknowledgeBy } : {}),
        ...(deadlines ? { detail: deadlines } : {}),
        payloadDigest: DIGEST,
      }),
    );
  }
  return events;
}

/**
 * The recipient node stores a delivery (libs/node/src/inbox/receive-delivery.usecase.ts): its
 * `delivered` names the delivery's id and the view's due time, never an agency. For a mailbox
 * notification (a view a person acknowledges; not a referral outcome) the node also sends a
 * signed receipt, which the hub records (apps/hub/src/exchange/process-receipt.usecase.ts) and
 * forwards to the sender's node, which audits that as a delivery of its own (a receipt).
 */
export function delivered(
  target: Delivery,
  at: string,
  { dueAt, receipt = true }: { dueAt?: string; receipt?: boolean } = {},
): AuditEvent[] {
  return [
    event({
      action: 'delivered',
      actor: target.recipient.node,
      occurredAt: at,
      messageId: target.id,
      subjectRef: target.submission.subjectRef,
      messageType: target.viewType,
      senderNode: HUB,
      recipientMailbox: target.mailbox,
      ...(dueAt ? { deadline: dueAt } : {}),
      payloadDigest: DIGEST,
    }),
    ...(receipt ? receiptEvents(target, 'delivered', at) : []),
  ];
}

/**
 * A person acknowledges it in the mailbox (libs/node/src/mailbox/acknowledge-notification.usecase.ts),
 * and the hub records the receipt.
 */
export function acknowledged(target: Delivery, at: string, dueAt?: string): AuditEvent[] {
  return [
    event({
      action: 'acknowledged',
      actor: target.recipient.node,
      occurredAt: at,
      messageId: target.id,
      subjectRef: target.submission.subjectRef,
      messageType: target.viewType,
      recipientMailbox: target.mailbox,
      ...(dueAt ? { deadline: dueAt } : {}),
    }),
    ...receiptEvents(target, 'acknowledged', at),
  ];
}

function receiptEvents(
  target: Delivery,
  status: 'delivered' | 'acknowledged',
  at: string,
): AuditEvent[] {
  return [
    event({
      action: status,
      actor: HUB,
      occurredAt: at,
      messageId: target.id,
      correlationId: target.submission.id,
      subjectRef: target.submission.subjectRef,
      messageType: RECEIPT.type,
      senderNode: target.recipient.node,
      recipientMailbox: target.mailbox,
      payloadDigest: DIGEST,
      detail: `receipt forwarded to ${target.submission.sender.node}`,
    }),
    event({
      action: 'delivered',
      actor: target.submission.sender.node,
      occurredAt: at,
      messageId: randomUUID(),
      subjectRef: target.submission.subjectRef,
      messageType: RECEIPT.type,
      senderNode: HUB,
      payloadDigest: DIGEST,
    }),
  ];
}

/**
 * An overdue deadline (apps/hub/src/deadlines/escalate-overdue.usecase.ts), told to the sender's
 * node and the recipient agency's escalation mailbox.
 */
export function hubEscalated(target: Delivery, kind: string, dueAt: string, at: string) {
  return event({
    action: 'escalated',
    actor: HUB,
    occurredAt: at,
    messageId: target.id,
    correlationId: target.submission.id,
    subjectRef: target.submission.subjectRef,
    messageType: ESCALATION.type,
    senderNode: target.submission.sender.node,
    recipientMailbox: target.mailbox,
    deadline: dueAt,
    detail: `${kind} overdue; escalated to ${target.submission.sender.node} and ${target.recipient.node}-escalation`,
  });
}

/**
 * A later report of a missing episode replaced this delivery in its mailbox
 * (apps/hub/src/missing-episodes/route-missing-episode.usecase.ts).
 */
export function hubSuperseded(target: Delivery, by: Submission, dueAt: string, at: string) {
  return event({
    action: 'superseded',
    actor: HUB,
    occurredAt: at,
    messageId: target.id,
    correlationId: by.id,
    subjectRef: by.subjectRef,
    messageType: target.viewType,
    senderNode: by.sender.node,
    recipientMailbox: target.mailbox,
    deadline: dueAt,
    detail: 'acknowledgement deadline superseded by report 2',
  });
}

/** A refusal by the hub, e.g. NOT_A_MARAC_MEMBER (apps/hub/src/exchange/refusal.service.ts). */
export function hubRejected(sent: Submission, errorCode: string, at: string) {
  return event({
    action: 'rejected',
    actor: HUB,
    occurredAt: at,
    errorCode,
    messageId: sent.id,
    subjectRef: sent.subjectRef,
    messageType: sent.type,
    senderNode: sent.sender.node,
    payloadDigest: DIGEST,
    detail: 'refused',
  });
}

/**
 * The MASH records its decision (libs/node/src/referrals/record-outcome.usecase.ts): the
 * correlationId is the MASH's own inbox message, the referral's delivery.
 */
export function nodeReferralOutcome(outcome: Submission, referral: Delivery, at: string) {
  return event({
    action: 'referral-outcome',
    actor: outcome.sender.node,
    occurredAt: at,
    messageId: outcome.id,
    correlationId: referral.id,
    subjectRef: outcome.subjectRef,
    messageType: REFERRAL_OUTCOME.type,
    senderNode: outcome.sender.node,
    recipientMailbox: referral.mailbox,
    detail: 'outcome child-in-need-assessment',
  });
}

/**
 * A member answers a MARAC request (libs/node/src/marac/respond-to-marac-request.usecase.ts):
 * the correlationId is the request's delivery to its mailbox.
 */
export function nodeMaracResponse(
  answer: Submission,
  request: Delivery,
  dueAt: string,
  at: string,
) {
  return event({
    action: 'marac-response',
    actor: answer.sender.node,
    occurredAt: at,
    messageId: answer.id,
    correlationId: request.id,
    subjectRef: answer.subjectRef,
    messageType: MARAC_INFORMATION_RESPONSE.type,
    senderNode: answer.sender.node,
    recipientMailbox: request.mailbox,
    deadline: dueAt,
  });
}

/**
 * An action's owner acknowledges it (libs/node/src/marac/update-marac-action.usecase.ts): a
 * `marac-action-update` of its own, correlating the action's delivery to the mailbox.
 */
export function nodeMaracActionAcknowledged(
  update: Submission,
  action: Delivery,
  dueAt: string,
  at: string,
) {
  return event({
    action: 'acknowledged',
    actor: update.sender.node,
    occurredAt: at,
    messageId: update.id,
    correlationId: action.id,
    subjectRef: update.subjectRef,
    messageType: MARAC_ACTION_UPDATE.type,
    senderNode: update.sender.node,
    recipientMailbox: action.mailbox,
    deadline: dueAt,
    detail: 'status acknowledged',
  });
}

/**
 * The MARAC's own events (apps/marac: MaracAudit stamps actor `marac` and its clock's time):
 * an information request (referrals/submit-referral.usecase.ts), an action
 * (actions/record-actions.usecase.ts), research received (research/record-research.usecase.ts,
 * messageId the response view's delivery), an action acknowledged (actions/action-progress.usecase.ts)
 * and an escalation it sends (deadlines/deadline-escalation.job.ts, correlationId its own row).
 */
export const maracEvents = {
  request(sent: Submission, caseId: string, to: Party, mailbox: string, dueAt: string, at: string) {
    return event({
      actor: MARAC.node,
      occurredAt: at,
      action: 'marac-request',
      messageType: 'marac-information-request',
      messageId: sent.id,
      correlationId: caseId,
      subjectRef: sent.subjectRef,
      recipientAgency: to.agency,
      recipientMailbox: mailbox,
      deadline: dueAt,
      detail: 'sent through the hub',
    });
  },
  action(sent: Submission, caseId: string, to: Party, mailbox: string, dueAt: string, at: string) {
    return event({
      actor: MARAC.node,
      occurredAt: at,
      action: 'submitted',
      messageType: 'marac-action',
      messageId: sent.id,
      correlationId: caseId,
      subjectRef: sent.subjectRef,
      recipientAgency: to.agency,
      recipientMailbox: mailbox,
      deadline: dueAt,
      detail: 'sent through the hub',
    });
  },
  researchReceived(response: Delivery, request: Submission, dueAt: string, at: string) {
    return event({
      actor: MARAC.node,
      occurredAt: at,
      action: 'marac-response',
      messageType: 'marac-research-response',
      messageId: response.id,
      correlationId: request.id,
      subjectRef: request.subjectRef,
      senderAgency: response.submission.sender.agency,
      recipientMailbox: response.mailbox,
      deadline: dueAt,
      detail: 'on time',
    });
  },
  actionAcknowledged(action: Submission, caseId: string, by: Party, mailbox: string, at: string) {
    return event({
      actor: MARAC.node,
      occurredAt: at,
      action: 'acknowledged',
      messageType: 'marac-action',
      messageId: action.id,
      correlationId: caseId,
      subjectRef: action.subjectRef,
      senderAgency: by.agency,
      recipientMailbox: mailbox,
      detail: `acknowledgement ${randomUUID()}`,
    });
  },
  escalated(
    sent: Submission,
    requestRowId: string,
    late: Party,
    mailbox: string,
    dueAt: string,
    at: string,
  ) {
    return event({
      actor: MARAC.node,
      occurredAt: at,
      action: 'escalated',
      messageType: 'marac-information-request',
      messageId: sent.id,
      correlationId: requestRowId,
      subjectRef: sent.subjectRef,
      recipientAgency: late.agency,
      recipientMailbox: mailbox,
      deadline: dueAt,
      detail: 'overdue information-request; sent through the hub',
    });
  },
};
