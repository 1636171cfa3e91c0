import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { InboxMessageEntity } from './inbox-message.entity';

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

  async exists(messageId: string): Promise<boolean> {
    return this.inbox.existsBy({ messageId });
  }

  count(): Promise<number> {
    return this.inbox.count();
  }
}
