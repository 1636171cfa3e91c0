import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { decryptEnvelope } from '@app/crypto';
import { EntityManager, Repository } from 'typeorm';

import { NodeKeys } from '../keys/node-keys.service';
import { InboxMessageEntity } from '../inbox/inbox-message.entity';

export interface MailboxItem {
  messageId: string;
  type: string;
  receivedAt: string;
  status: string;
  dueAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface MailboxMessage extends MailboxItem {
  /** The hub's signed view, as the hub signed it (verified when it was stored). */
  notification: Record<string, unknown>;
}

function item(row: InboxMessageEntity): MailboxItem {
  return {
    messageId: row.messageId,
    type: row.type,
    receivedAt: row.receivedAt.toISOString(),
    status: row.status ?? 'received',
    dueAt: row.dueAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy ?? null,
  };
}

/**
 * A mailbox's messages. Every method takes the mailbox id and filters by it, so one mailbox can
 * never read another's rows, whatever message id it is given.
 */
@Injectable()
export class MailboxReads {
  constructor(
    @InjectRepository(InboxMessageEntity) private readonly inbox: Repository<InboxMessageEntity>,
    private readonly keys: NodeKeys,
  ) {}

  async list(mailboxId: string): Promise<MailboxItem[]> {
    const rows = await this.inbox.find({
      where: { mailboxId },
      order: { receivedAt: 'DESC' },
      take: 500,
    });
    return rows.map(item);
  }

  async read(mailboxId: string, messageId: string): Promise<MailboxMessage> {
    const row = await this.find(mailboxId, messageId);
    // Decrypted on read only: the database holds the JWE, never the plaintext.
    const jws = await decryptEnvelope(row.body, await this.keys.keyring());
    const claims = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as {
      body: Record<string, unknown>;
    };
    return { ...item(row), notification: claims.body };
  }

  /** The row, locked for update when a manager in a transaction is given; 404 when not this mailbox's. */
  async find(
    mailboxId: string,
    messageId: string,
    manager?: EntityManager,
  ): Promise<InboxMessageEntity> {
    const repository = manager ? manager.getRepository(InboxMessageEntity) : this.inbox;
    const row = await repository.findOne({
      where: { mailboxId, messageId },
      ...(manager ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    // The same answer whether the message does not exist or belongs to another mailbox.
    if (!row) throw new NotFoundException('no such message in this mailbox');
    return row;
  }
}
