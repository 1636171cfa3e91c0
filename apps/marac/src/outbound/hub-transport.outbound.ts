import { randomUUID } from 'node:crypto';

import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  MARAC_ACTION,
  MARAC_ESCALATION,
  MARAC_INFORMATION_REQUEST,
  MARAC_REFERRAL_DECISION,
  MessageTypeDefinition,
  Topics,
} from '@app/contracts';
import { AtRestSealer, NodeSender } from '@app/node';
import { EntityManager } from 'typeorm';

import { Clock } from '../clock/clock';
import { caseForSending, MARAC_LAWFUL_BASIS } from './case-sharing-terms';
import {
  ActionBody,
  EscalationBody,
  InformationRequestBody,
  MaracOutbound,
  OutboundRecipient,
  ReferralDecisionBody,
  ReferralDecisionContext,
} from './marac-outbound';

type OutgoingKind =
  'marac-information-request' | 'marac-action' | 'marac-escalation' | 'marac-referral-decision';

/**
 * Sends each MARAC message through the hub: signed as this node and encrypted to the hub
 * (`NodeSender.seal`), written to the node's outbox and recorded in `outgoing_message` (state
 * `sent`), all in the transaction of the case change that caused it. So a message goes if and
 * only if its change commits, once: the message id is fixed before the commit and the hub
 * treats a re-published copy as a duplicate. What the hub sends back (receipts, rejection,
 * sharing refused) moves the row on (inbound/outgoing-status.ts).
 */
@Injectable()
export class HubTransportOutbound implements MaracOutbound, OnModuleInit {
  constructor(
    private readonly sender: NodeSender,
    private readonly clock: Clock,
    private readonly sealer: AtRestSealer,
  ) {}

  onModuleInit(): void {
    // Views stored before they were sealed are sealed at start-up.
    this.sealer.register({ table: 'outgoing_message', key: 'id', column: 'body' });
  }

  prepare(): Promise<void> {
    return this.sender.warm();
  }

  async sendInformationRequest(
    tx: EntityManager,
    to: OutboundRecipient,
    body: InformationRequestBody,
  ): Promise<string> {
    const { terms, victimRef } = await caseForSending(tx, body.caseId);
    return this.send(tx, MARAC_INFORMATION_REQUEST, 'marac-information-request', {
      correlationId: body.requestId,
      caseId: body.caseId,
      victimRef,
      to,
      body: {
        ...body,
        ...terms,
        recipientAgencyId: to.agencyId,
        recipientMailboxId: to.mailboxId,
      },
    });
  }

  async sendAction(tx: EntityManager, to: OutboundRecipient, body: ActionBody): Promise<string> {
    const { terms, victimRef } = await caseForSending(tx, body.caseId);
    return this.send(tx, MARAC_ACTION, 'marac-action', {
      correlationId: body.actionId,
      caseId: body.caseId,
      victimRef,
      to,
      body: {
        ...body,
        ...terms,
        recipientAgencyId: to.agencyId,
        recipientMailboxId: to.mailboxId,
      },
    });
  }

  async sendEscalation(
    tx: EntityManager,
    to: OutboundRecipient,
    body: EscalationBody,
  ): Promise<string> {
    const { terms, victimRef } = await caseForSending(tx, body.caseId);
    return this.send(tx, MARAC_ESCALATION, 'marac-escalation', {
      correlationId: body.overdueId,
      caseId: body.caseId,
      victimRef,
      to,
      body: { ...body, ...terms, recipientMailboxId: to.mailboxId },
    });
  }

  /**
   * The referrer hears whether its referral was listed or refused. The hub sends it to the
   * referrer mailbox it recorded with the referral; the recipient here is the record's. The
   * referral's terms are the hub's to state (from its own record), so the decision carries only
   * the MARAC's basis.
   */
  sendReferralDecision(
    tx: EntityManager,
    to: OutboundRecipient,
    body: ReferralDecisionBody,
    context: ReferralDecisionContext,
  ): Promise<string> {
    return this.send(tx, MARAC_REFERRAL_DECISION, 'marac-referral-decision', {
      correlationId: body.referralId,
      caseId: context.caseId,
      // A refused referral has no case: its id (the referrer's random UUID) is the subject.
      subjectRef: context.caseId ?? body.referralId,
      victimRef: context.victimRef,
      to,
      body: { ...body, lawfulBasis: MARAC_LAWFUL_BASIS },
    });
  }

  private async send<B extends object>(
    tx: EntityManager,
    definition: MessageTypeDefinition<B>,
    kind: OutgoingKind,
    message: {
      correlationId: string;
      caseId: string | null;
      /** The envelope's subject; the case id unless given. */
      subjectRef?: string;
      victimRef: string;
      to: OutboundRecipient;
      body: B;
    },
  ): Promise<string> {
    const messageId = randomUUID();
    const now = this.clock.now();
    // The case id is the envelope's subject: it keeps one case's messages in order on the topic
    // and, unlike the victim's reference, says nothing about anyone.
    const sealed = await this.sender.seal<B>({
      definition,
      jti: messageId,
      subjectRef: message.subjectRef ?? message.caseId!,
      body: message.body,
    });
    await tx.query(
      `INSERT INTO outgoing_message
         (id, case_id, kind, correlation_id, recipient_agency_id, recipient_mailbox_id, subject_ref,
          body, state, created_at, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sent', $9, $9)`,
      [
        messageId,
        message.caseId,
        kind,
        message.correlationId,
        message.to.agencyId,
        message.to.mailboxId,
        message.victimRef,
        // The view as sent (the case history shows it): sealed at rest (AtRestSealer).
        await this.sealer.seal(JSON.stringify(message.body)),
        now,
      ],
    );
    await this.sender.enqueue(tx, Topics.submissions, sealed);
    return messageId;
  }
}
