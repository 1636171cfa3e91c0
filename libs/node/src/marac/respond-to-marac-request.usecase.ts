import { randomUUID } from 'node:crypto';

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  MARAC_INFORMATION_RESPONSE,
  MaracInformationResponse,
  MaracResearchForm,
  Topics,
} from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeSender } from '../outgoing/node-sender.service';

interface ReceivedRequestRow {
  request_id: string;
  case_id: string;
  message_id: string;
  subject_ref: string;
  due_at: Date;
  response_message_id: string | null;
}

export interface SentResearch {
  requestId: string;
  messageId: string;
  answeredAt: string;
  /**
   * When the MARAC wanted it. An answer after it still goes; the MARAC decides by its own clock
   * whether it is late (the pack shows it), so the node does not claim either way.
   */
  dueAt: string;
}

/**
 * A member mailbox answers the MARAC's information request with the structured research form
 * (facts kept apart from opinion). Only a request delivered to this mailbox can be answered (404
 * otherwise, the same whether it does not exist or is another mailbox's), and only once (409).
 * The `marac-information-response` is signed, encrypted to the hub and written to the outbox
 * with the request's row and the audit event in one transaction.
 */
@Injectable()
export class RespondToMaracRequestUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(
    mailboxId: string,
    requestId: string,
    form: MaracResearchForm,
    by: string,
  ): Promise<SentResearch> {
    const current = await this.find(this.dataSource.manager, mailboxId, requestId);
    if (current.response_message_id) throw new ConflictException('this request is answered');
    const answeredAt = this.clock.now();
    const messageId = randomUUID();
    const sealed = await this.sender.seal<MaracInformationResponse>({
      definition: MARAC_INFORMATION_RESPONSE,
      jti: messageId,
      subjectRef: current.subject_ref,
      body: {
        ...form,
        requestId,
        caseId: current.case_id,
        respondingMailboxId: mailboxId,
        answeredAt: answeredAt.toISOString(),
      },
    });
    await this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, mailboxId, requestId, true);
      if (row.response_message_id) throw new ConflictException('this request is answered');
      await manager.query(
        `UPDATE received_marac_request SET response_message_id = $3, responded_at = $4,
           responded_by = $5 WHERE mailbox_id = $1 AND request_id = $2`,
        [mailboxId, requestId, messageId, answeredAt, by],
      );
      await manager.query(
        `INSERT INTO marac_sent (message_id, kind, ref_id, mailbox_id, sent_by, sent_at)
         VALUES ($1, 'marac-information-response', $2, $3, $4, $5)`,
        [messageId, requestId, mailboxId, by, answeredAt],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'marac-response',
          actor: this.identity.nodeId,
          messageId,
          correlationId: row.message_id,
          subjectRef: row.subject_ref,
          messageType: MARAC_INFORMATION_RESPONSE.type,
          senderNode: this.identity.nodeId,
          recipientMailbox: mailboxId,
          deadline: row.due_at.toISOString(),
        },
      ]);
    });
    this.outbox.wake();
    return {
      requestId,
      messageId,
      answeredAt: answeredAt.toISOString(),
      dueAt: current.due_at.toISOString(),
    };
  }

  private async find(
    manager: EntityManager,
    mailboxId: string,
    requestId: string,
    lock = false,
  ): Promise<ReceivedRequestRow> {
    const [row] = (await manager.query(
      `SELECT request_id, case_id, message_id, subject_ref, due_at, response_message_id
         FROM received_marac_request WHERE mailbox_id = $1 AND request_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [mailboxId, requestId],
    )) as ReceivedRequestRow[];
    if (!row) throw new NotFoundException('no such MARAC request in this mailbox');
    return row;
  }
}
