import {
  MaracAction,
  MaracEscalation,
  MaracInformationRequest,
  MaracReferralDecision,
  SharingStatementFields,
} from '@app/contracts';
import { EntityManager } from 'typeorm';

/** Where a message goes: a mailbox of an agency that is a member of the case's MARAC. */
export interface OutboundRecipient {
  agencyId: string;
  mailboxId: string;
}

/** What the transport adds itself: the case's sharing terms and the recipient. */
type Addressed = keyof SharingStatementFields | 'recipientAgencyId' | 'recipientMailboxId';

/** What a member agency is asked to research before the meeting; its pupils only for a school. */
export type InformationRequestBody = Omit<MaracInformationRequest, Addressed>;

export type ActionBody = Omit<MaracAction, Addressed>;

export type EscalationBody = Omit<
  MaracEscalation,
  keyof SharingStatementFields | 'recipientMailboxId'
>;

/** The decision on a referral; the transport adds the MARAC's basis. */
export type ReferralDecisionBody = Omit<MaracReferralDecision, 'lawfulBasis'>;

/** What the decision's record needs besides its body: the case (none when refused), the victim. */
export interface ReferralDecisionContext {
  caseId: string | null;
  victimRef: string;
}

/**
 * The MARAC's port to the exchange. Each call is given the transaction of the domain write, so
 * a message is sent if and only if the case change that caused it commits (the node's outbox).
 * Returns the message's id, which the trail uses as its `messageId`.
 */
export interface MaracOutbound {
  /** Loads what sealing needs (keys) before a transaction, so sealing inside it does no I/O. */
  prepare(): Promise<void>;
  sendInformationRequest(
    tx: EntityManager,
    to: OutboundRecipient,
    body: InformationRequestBody,
  ): Promise<string>;
  sendAction(tx: EntityManager, to: OutboundRecipient, body: ActionBody): Promise<string>;
  sendEscalation(tx: EntityManager, to: OutboundRecipient, body: EscalationBody): Promise<string>;
  /** Tells the referrer (its mailbox) that its referral was listed or refused. */
  sendReferralDecision(
    tx: EntityManager,
    to: OutboundRecipient,
    body: ReferralDecisionBody,
    context: ReferralDecisionContext,
  ): Promise<string>;
}

export const MARAC_OUTBOUND = Symbol('MARAC_OUTBOUND');
