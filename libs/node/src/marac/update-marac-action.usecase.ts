import { randomUUID } from 'node:crypto';

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { MARAC_ACTION_UPDATE, MaracActionStatus, MaracActionUpdate, Topics } from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeSender } from '../outgoing/node-sender.service';
import { updateReturning } from '@app/persistence';

interface ReceivedActionRow {
  action_id: string;
  case_id: string;
  message_id: string;
  subject_ref: string;
  state: 'open' | MaracActionStatus;
  acknowledged_at: Date | null;
  due_at: Date;
}

export interface MaracActionState {
  actionId: string;
  state: string;
  acknowledgedAt: string | null;
  /** The update sent to the MARAC; null when an acknowledgement had already gone. */
  messageId: string | null;
}

/**
 * The owning mailbox acknowledges a MARAC action or reports progress on it: a signed
 * `marac-action-update` through the hub to the MARAC, with the action's row and the audit event
 * in one transaction. Only an action delivered to this mailbox (404 otherwise); a second
 * acknowledgement sends nothing; a completed action takes no more updates (409).
 */
@Injectable()
export class UpdateMaracActionUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  acknowledge(mailboxId: string, actionId: string, by: string): Promise<MaracActionState> {
    return this.send(mailboxId, actionId, 'acknowledged', undefined, by);
  }

  progress(
    mailboxId: string,
    actionId: string,
    status: 'in-progress' | 'completed',
    note: string,
    by: string,
  ): Promise<MaracActionState> {
    return this.send(mailboxId, actionId, status, note, by);
  }

  private async send(
    mailboxId: string,
    actionId: string,
    status: MaracActionStatus,
    note: string | undefined,
    by: string,
  ): Promise<MaracActionState> {
    const current = await this.find(this.dataSource.manager, mailboxId, actionId);
    if (status === 'acknowledged' && current.acknowledged_at) return this.state(current, null);
    this.refuseClosed(current);
    const at = this.clock.now();
    const messageId = randomUUID();
    const sealed = await this.sender.seal<MaracActionUpdate>({
      definition: MARAC_ACTION_UPDATE,
      jti: messageId,
      subjectRef: current.subject_ref,
      body: {
        actionId,
        caseId: current.case_id,
        mailboxId,
        status,
        ...(note ? { note } : {}),
        at: at.toISOString(),
      },
    });
    const result = await this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, mailboxId, actionId, true);
      if (status === 'acknowledged' && row.acknowledged_at) return this.state(row, null);
      this.refuseClosed(row);
      const [updated] = await updateReturning<ReceivedActionRow>(
        manager,
        `UPDATE received_marac_action
            SET state = CASE WHEN $3 = 'acknowledged' AND state <> 'open' THEN state ELSE $3 END,
                acknowledged_at = COALESCE(acknowledged_at, $4),
                updated_at = CASE WHEN $3 = 'acknowledged' THEN updated_at ELSE $4 END
          WHERE mailbox_id = $1 AND action_id = $2
          RETURNING action_id, case_id, message_id, subject_ref, state, acknowledged_at, due_at`,
        [mailboxId, actionId, status, at],
      );
      await manager.query(
        `INSERT INTO marac_sent (message_id, kind, ref_id, mailbox_id, sent_by, sent_at)
         VALUES ($1, 'marac-action-update', $2, $3, $4, $5)`,
        [messageId, actionId, mailboxId, by, at],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: status === 'acknowledged' ? 'acknowledged' : 'marac-response',
          actor: this.identity.nodeId,
          messageId,
          correlationId: row.message_id,
          subjectRef: row.subject_ref,
          messageType: MARAC_ACTION_UPDATE.type,
          senderNode: this.identity.nodeId,
          recipientMailbox: mailboxId,
          deadline: row.due_at.toISOString(),
          detail: `status ${status}`,
        },
      ]);
      return this.state(updated, messageId);
    });
    if (result.messageId) this.outbox.wake();
    return result;
  }

  private refuseClosed(row: ReceivedActionRow): void {
    if (row.state === 'completed') {
      throw new ConflictException('the action is completed and takes no further updates');
    }
  }

  private state(row: ReceivedActionRow, messageId: string | null): MaracActionState {
    return {
      actionId: row.action_id,
      state: row.state,
      acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
      messageId,
    };
  }

  private async find(
    manager: EntityManager,
    mailboxId: string,
    actionId: string,
    lock = false,
  ): Promise<ReceivedActionRow> {
    const [row] = (await manager.query(
      `SELECT action_id, case_id, message_id, subject_ref, state, acknowledged_at, due_at
         FROM received_marac_action WHERE mailbox_id = $1 AND action_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [mailboxId, actionId],
    )) as ReceivedActionRow[];
    if (!row) throw new NotFoundException('no such MARAC action in this mailbox');
    return row;
  }
}
