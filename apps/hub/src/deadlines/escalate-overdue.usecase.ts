import { Injectable } from '@nestjs/common';
import { ESCALATION, Escalation } from '@app/contracts';
import { OutboxRecord, OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';

interface OverdueRow {
  delivery_id: string;
  kind: string;
  mailbox_id: string;
  due_at: Date;
  submission_id: string;
  sender_node: string;
  sender_mailbox: string | null;
  recipient_node: string;
  subject_ref: string;
}

const BATCH = 20;

/**
 * Escalates deadlines that passed unmet (an acknowledgement, a referral's outcome, a return home
 * interview; the escalation names which): a signed escalation to the sender (filed in the
 * sender's mailbox when the delivery records one) and to the recipient agency's escalation
 * mailbox, the deadline marked escalated, and an audit event naming who was told and who could
 * not be, in one transaction per batch. Rows are claimed FOR UPDATE SKIP LOCKED and change state
 * in the same transaction, so each deadline is escalated exactly once, across instances and
 * restarts.
 */
@Injectable()
export class EscalateOverdueUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: HubSender,
    private readonly registry: RegistryService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** One batch; returns how many deadlines it escalated. */
  async execute(): Promise<number> {
    const now = this.clock.now();
    const escalated = await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT d.delivery_id, d.kind, d.mailbox_id, d.due_at, v.submission_id, v.sender_node,
                v.sender_mailbox, v.recipient_node, v.subject_ref
           FROM deadline d JOIN delivery v ON v.id = d.delivery_id
          WHERE d.state = 'open' AND d.due_at <= $1
          ORDER BY d.due_at LIMIT ${BATCH} FOR UPDATE OF d SKIP LOCKED`,
        [now],
      )) as OverdueRow[];
      for (const row of rows) {
        const base: Escalation = {
          messageId: row.submission_id,
          overdueMailboxId: row.mailbox_id,
          dueAt: new Date(row.due_at).toISOString(),
          escalatedAt: now.toISOString(),
          deadlineKind: row.kind,
        };
        const records: OutboxRecord[] = [];
        const told: string[] = [];
        const notTold: string[] = [];
        // A node without a current key cannot be written to: its copy is left out and the audit
        // says so, rather than rolling back the batch and holding every later deadline behind it.
        const tell = async (nodeId: string, body: Escalation, who: string) => {
          try {
            const { record } = await this.sender.sealFor<Escalation>(nodeId, {
              definition: ESCALATION,
              subjectRef: row.subject_ref,
              body,
            });
            records.push(record);
            told.push(who);
          } catch (error) {
            if (!(error instanceof NodeUnreachableError)) throw error;
            notTold.push(`${who} (node ${nodeId} has no current key)`);
          }
        };
        // Filed in the sender's mailbox when a mailbox sent the message (a referrer).
        await tell(
          row.sender_node,
          row.sender_mailbox ? { ...base, recipientMailboxId: row.sender_mailbox } : base,
          row.sender_mailbox ?? row.sender_node,
        );
        const escalationMailbox = await this.registry.findMailboxByKind(
          'escalation',
          row.recipient_node,
        );
        if (escalationMailbox) {
          await tell(
            row.recipient_node,
            { ...base, messageId: row.delivery_id, recipientMailboxId: escalationMailbox.id },
            escalationMailbox.id,
          );
        } else {
          notTold.push(`${row.recipient_node} has no escalation mailbox`);
        }
        await manager.query(
          `UPDATE deadline SET state = 'escalated', closed_at = $2
            WHERE delivery_id = $1 AND kind = $3`,
          [row.delivery_id, now, row.kind],
        );
        await this.outbox.add(manager, records);
        await this.outbox.audit(manager, [
          {
            action: 'escalated',
            actor: HUB_NODE_ID,
            messageId: row.delivery_id,
            correlationId: row.submission_id,
            subjectRef: row.subject_ref,
            messageType: ESCALATION.type,
            senderNode: row.sender_node,
            recipientMailbox: row.mailbox_id,
            deadline: base.dueAt,
            detail: [
              `${row.kind} overdue`,
              told.length > 0 ? `escalated to ${told.join(' and ')}` : 'escalated to nobody',
              ...(notTold.length > 0 ? [`not told: ${notTold.join('; ')}`] : []),
            ].join('; '),
          },
        ]);
      }
      return rows.length;
    });
    if (escalated > 0) this.outbox.wake();
    return escalated;
  }
}
