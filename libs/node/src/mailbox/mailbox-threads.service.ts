import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { InboxMessageEntity } from '../inbox/inbox-message.entity';
import { MailboxItem, mailboxItem, MailboxReads } from './mailbox-reads.service';

/** One delivery of a thread, decrypted: null when it is sealed to a key the node lost. */
export interface MailboxThreadUpdate extends MailboxItem {
  /** The delivery's place in its thread (a missing episode's report number); 1 unthreaded. */
  sequence: number;
  notification: Record<string, unknown> | null;
}

/** Every delivery of the thread an item belongs to (a missing episode), oldest first. */
export interface MailboxThread {
  messageId: string;
  updates: MailboxThreadUpdate[];
}

/**
 * A mailbox item's thread: each report of a missing episode delivered to the mailbox, in the
 * order the reporter numbered them (the hub's report number, whatever order they arrived in),
 * each with its own status and acknowledgement. An item of no thread is a thread of one. Every
 * query names the mailbox, so one mailbox never reads another's rows.
 */
@Injectable()
export class MailboxThreads {
  constructor(
    @InjectRepository(InboxMessageEntity) private readonly inbox: Repository<InboxMessageEntity>,
    private readonly reads: MailboxReads,
  ) {}

  async thread(mailboxId: string, messageId: string): Promise<MailboxThread> {
    const anchor = await this.reads.find(mailboxId, messageId);
    const rows = anchor.threadKey
      ? await this.inbox.find({
          where: { mailboxId, threadKey: anchor.threadKey },
          order: { threadSequence: 'ASC', receivedAt: 'ASC' },
          take: 500,
        })
      : [anchor];
    const updates = await Promise.all(
      rows.map(async (row) => ({
        ...mailboxItem(row, rows.length),
        sequence: row.threadSequence ?? 1,
        notification: await this.reads.viewInList(row),
      })),
    );
    return { messageId, updates };
  }
}
