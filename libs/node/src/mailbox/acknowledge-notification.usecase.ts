import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { RECEIPT, Receipt, Topics } from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { InboxMessageEntity } from '../inbox/inbox-message.entity';
import { NodeSender } from '../outgoing/node-sender.service';
import { MailboxItem, mailboxItem, MailboxReads } from './mailbox-reads.service';

/**
 * A person acknowledges a notification in their mailbox: the row is marked, and a signed
 * `acknowledged` receipt and an audit event go to the outbox in the same transaction. A second
 * acknowledgement changes nothing and sends nothing.
 */
@Injectable()
export class AcknowledgeNotificationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: MailboxReads,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(mailboxId: string, messageId: string, by: string): Promise<MailboxItem> {
    const current = await this.reads.find(mailboxId, messageId);
    if (current.status === 'acknowledged') return this.summary(current, mailboxId);
    const at = this.clock.now();
    const receipt = await this.sender.seal<Receipt>({
      definition: RECEIPT,
      jti: randomUUID(),
      subjectRef: current.subjectRef ?? messageId,
      body: { messageId, mailboxId, status: 'acknowledged', at: at.toISOString(), by },
    });
    const result = await this.dataSource.transaction(async (manager) => {
      const row = await this.reads.find(mailboxId, messageId, manager);
      if (row.status === 'acknowledged') return { row, sent: false };
      row.status = 'acknowledged';
      row.acknowledgedAt = at;
      row.acknowledgedBy = by;
      await manager.getRepository(InboxMessageEntity).save(row);
      await this.sender.enqueue(manager, Topics.receipts, receipt);
      await this.outbox.audit(manager, [
        {
          action: 'acknowledged',
          actor: this.identity.nodeId,
          messageId,
          subjectRef: row.subjectRef ?? undefined,
          messageType: row.type,
          recipientMailbox: mailboxId,
          ...(row.dueAt ? { deadline: row.dueAt.toISOString() } : {}),
        },
      ]);
      return { row, sent: true };
    });
    if (result.sent) this.outbox.wake();
    return this.summary(result.row, mailboxId);
  }

  private async summary(row: InboxMessageEntity, mailboxId: string): Promise<MailboxItem> {
    const reports = row.threadKey
      ? ((await this.reads.threadSizes(mailboxId, [row.threadKey])).get(row.threadKey) ?? 1)
      : 1;
    return mailboxItem(row, reports);
  }
}
