import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { InboxMessageEntity } from './inbox-message.entity';
import { InboxThread } from './inbox-thread';

export type NewInboxMessage = Omit<InboxMessageEntity, 'receivedAt'>;

@Injectable()
export class InboxService {
  constructor(
    @InjectRepository(InboxMessageEntity) private readonly inbox: Repository<InboxMessageEntity>,
  ) {}

  /** Stores a delivered record once; returns false when it was already there (a redelivery). */
  async storeOnce(message: NewInboxMessage, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.inbox.manager)
      .createQueryBuilder()
      .insert()
      .into(InboxMessageEntity)
      .values(message)
      .orIgnore()
      .returning(['messageId'])
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /**
   * Files a just-stored delivery in its mailbox thread, in the storing transaction: the thread's
   * latest (highest sequence) stays the one the mailbox shows, and every other row names it in
   * `superseded_by`. A late-arriving earlier report is filed as superseded at once. The advisory
   * lock serialises two deliveries of one thread, so neither misses the other.
   */
  async placeInThread(
    manager: EntityManager,
    messageId: string,
    mailboxId: string,
    thread: InboxThread,
  ): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `inbox-thread|${mailboxId}|${thread.key}`,
    ]);
    const [current] = (await manager.query(
      `SELECT message_id, thread_sequence FROM inbox_message
        WHERE mailbox_id = $1 AND thread_key = $2 AND superseded_by IS NULL AND message_id <> $3`,
      [mailboxId, thread.key, messageId],
    )) as { message_id: string; thread_sequence: number }[];
    if (!current) return;
    const [older, newer] =
      current.thread_sequence <= thread.sequence
        ? [current.message_id, messageId]
        : [messageId, current.message_id];
    await manager.query(
      `UPDATE inbox_message SET superseded_by = $2 WHERE superseded_by IS NULL AND message_id = $1`,
      [older, newer],
    );
  }

  /**
   * Puts a message filed outside any thread (a notification) at the start of a thread, in the
   * storing transaction of the first delivery that continues it (a correction). Only the
   * mailbox's own row, and only while it is in no thread.
   */
  async openThread(
    manager: EntityManager,
    messageId: string,
    mailboxId: string,
    key: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE inbox_message SET thread_key = $3, thread_sequence = 0
        WHERE message_id = $1 AND mailbox_id = $2 AND thread_key IS NULL`,
      [messageId, mailboxId, key],
    );
  }

  async exists(messageId: string): Promise<boolean> {
    return this.inbox.existsBy({ messageId });
  }

  count(): Promise<number> {
    return this.inbox.count();
  }
}
