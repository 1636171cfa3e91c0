import { EntityManager } from 'typeorm';

/** Where a message goes: a mailbox of an agency that is a member of the case's MARAC. */
export interface OutboundRecipient {
  agencyId: string;
  mailboxId: string;
}

/** What a member agency is asked to research before the meeting; its pupils only for a school. */
export interface InformationRequestBody {
  caseId: string;
  requestId: string;
  meetingDate: string;
  meetingAt: string;
  responsesDueAt: string;
  victimRef: string;
  perpetratorRef: string;
  childRefs: string[];
  criterion: string;
  dashTotal: number;
  repeat: boolean;
}

export interface ActionBody {
  caseId: string;
  actionId: string;
  victimRef: string;
  description: string;
  dueDate: string;
}

export interface EscalationBody {
  caseId: string;
  about: 'information-request' | 'action';
  /** The overdue request's or action's id. */
  overdueId: string;
  overdueAgencyId: string;
  overdueMailboxId: string;
  dueAt: string;
  escalatedAt: string;
}

/**
 * The MARAC's port to the transport. Each call is given the transaction of the domain write, so
 * a message is recorded if and only if the case change that caused it commits (an outbox).
 * Returns the outgoing message's id, which the trail uses as its `messageId`.
 */
export interface MaracOutbound {
  sendInformationRequest(
    tx: EntityManager,
    to: OutboundRecipient,
    body: InformationRequestBody,
  ): Promise<string>;
  sendAction(tx: EntityManager, to: OutboundRecipient, body: ActionBody): Promise<string>;
  sendEscalation(tx: EntityManager, to: OutboundRecipient, body: EscalationBody): Promise<string>;
}

export const MARAC_OUTBOUND = Symbol('MARAC_OUTBOUND');
