import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { Clock } from '../clock/clock';
import {
  ActionBody,
  EscalationBody,
  InformationRequestBody,
  MaracOutbound,
  OutboundRecipient,
} from './marac-outbound';

type OutgoingKind = 'marac-information-request' | 'marac-action' | 'marac-escalation';

/**
 * The seam until the hub transport lands: every outgoing message is recorded in
 * `outgoing_message` with state `pending-transport`. Nothing is signed, encrypted or delivered
 * here; the transport will drain this table (sign, submit to the hub, mark it sent). Until then
 * the coordinator sees what is waiting at GET /cases/:caseId/outgoing.
 */
@Injectable()
export class PendingTransportOutbound implements MaracOutbound {
  constructor(private readonly clock: Clock) {}

  sendInformationRequest(
    tx: EntityManager,
    to: OutboundRecipient,
    body: InformationRequestBody,
  ): Promise<string> {
    return this.record(tx, 'marac-information-request', body.requestId, to, body.victimRef, body);
  }

  sendAction(tx: EntityManager, to: OutboundRecipient, body: ActionBody): Promise<string> {
    return this.record(tx, 'marac-action', body.actionId, to, body.victimRef, body);
  }

  async sendEscalation(
    tx: EntityManager,
    to: OutboundRecipient,
    body: EscalationBody,
  ): Promise<string> {
    const [{ victim_ref }] = (await tx.query('SELECT victim_ref FROM marac_case WHERE id = $1', [
      body.caseId,
    ])) as { victim_ref: string }[];
    return this.record(tx, 'marac-escalation', body.overdueId, to, victim_ref, body);
  }

  private async record(
    tx: EntityManager,
    kind: OutgoingKind,
    correlationId: string,
    to: OutboundRecipient,
    subjectRef: string,
    body: InformationRequestBody | ActionBody | EscalationBody,
  ): Promise<string> {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO outgoing_message
         (id, case_id, kind, correlation_id, recipient_agency_id, recipient_mailbox_id, subject_ref, body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        body.caseId,
        kind,
        correlationId,
        to.agencyId,
        to.mailboxId,
        subjectRef,
        JSON.stringify(body),
        this.clock.now(),
      ],
    );
    return id;
  }
}
