import { DeliveryAuditAction, MessageTypeDefinition } from '@app/contracts';
import { SharingDecision } from '@app/policy';
import { MailboxEntity } from '@app/registry';
import { EntityManager } from 'typeorm';

import { SharingStatement } from '../policy/sharing-request';
import { VerifiedSubmission } from '../referrals/verified-submission';

/** The kind of a delivery's acknowledgement deadline (the deadline table's `kind`). */
export const ACKNOWLEDGEMENT_DEADLINE = 'acknowledgement';

/** A deadline on one delivery, e.g. its acknowledgement or a return home interview. */
export interface DeliveryDeadline {
  kind: string;
  dueAt: Date;
}

/** The view one recipient is sent: a registered type and its minimised body. */
export interface RecipientView<V extends object = object> {
  definition: MessageTypeDefinition<V>;
  body: V;
}

/** One mailbox a submission is meant for; the policy decides whether, and with which fields. */
export interface RecipientPlan<V extends object = object> {
  /** Loaded with its node and the node's agency (RegistryService's finders do). */
  mailbox: MailboxEntity;
  /**
   * What makes two deliveries the same for this sender and mailbox (e.g. child and incident):
   * a delivery already recorded under it is not sent again but reported as `alreadyDelivered`.
   */
  dedupeKey: string;
  /** The recipient's view, built from the deciding rule's fields (undefined: all of them). */
  view(fields: string[] | undefined, mailbox: MailboxEntity): RecipientView<V>;
  /**
   * The delivery's deadlines. The `acknowledgement` one, if any, is audited with the delivery:
   * the partnership metrics measure acknowledgements against it (docs/audit.md).
   */
  deadlines?: DeliveryDeadline[];
  /**
   * The audit action of the delivery; 'routed' unless it closes a loop (e.g. an outcome). A loop
   * closer names the message it answers as the plan's `correlationId`.
   */
  auditAction?: DeliveryAuditAction;
  /** Added to this recipient's audit details. Codes only, never personal data. */
  detail?: string;
  /**
   * The message type the policy decides this recipient's view for, when it is not the
   * submission's: a correction's recipient sees the corrected message as the policy cuts that
   * message's type for it.
   */
  policyType?: string;
  /** The sharing statement the policy decides on for this recipient, when not the plan's. */
  statement?: SharingStatement;
}

/** A submission and everyone it is meant for. */
export interface RoutePlan {
  submission: VerifiedSubmission<object>;
  /** Consent, basis, justification, risk and whether the family was told. */
  statement: SharingStatement;
  recipients: RecipientPlan[];
  /** The subject of the deliveries when it is not the submission's (a reply to a referral). */
  subjectRef?: string;
  /**
   * The sender's own mailbox when a mailbox sent the submission (a referrer): recorded with each
   * delivery, so an escalation of it is filed there as well as reaching the sending node.
   */
  senderMailboxId?: string;
  /** The message the submission answers, for the audit trail. */
  correlationId?: string;
  /** Added to every audit detail. Codes only, never personal data. */
  detail?: string;
  /** Referral completeness, audited with the submission. */
  completeness?: number;
  /**
   * The use case's own rows, written in the routing transaction. Throw AlreadyProcessed to roll
   * everything back as a duplicate.
   */
  alsoWrite?(manager: EntityManager, outcome: RouteOutcome): Promise<void>;
}

/** A recipient that was sent its view. */
export interface DeliveredShare {
  mailbox: MailboxEntity;
  /** The delivery's id: the message id of the sealed view. */
  deliveryId: string;
  ruleId: string;
  policyVersion: string;
  sharedUnder: 'consent' | 'justification';
}

export interface RefusedShare {
  mailbox: MailboxEntity;
  decision: Extract<SharingDecision, { effect: 'refuse' }>;
}

export interface RouteOutcome {
  delivered: DeliveredShare[];
  /** Refused by the sharing policy: the sender was sent a signed sharing-refused for each. */
  refused: RefusedShare[];
  /** Node suspended or without a key: the sender was sent a signed rejection for each. */
  unreachable: MailboxEntity[];
  /** Already delivered under the same dedupe key; the caller decides what the sender is told. */
  alreadyDelivered: { mailbox: MailboxEntity; submissionId: string }[];
  /**
   * Another copy of the submission was processed first: nothing was written. When every
   * recipient was `alreadyDelivered` nothing is written either (and this is false): the caller
   * records the submission and tells the sender.
   */
  alreadyProcessed: boolean;
}
