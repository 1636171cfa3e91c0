import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditEvent } from '@app/contracts';
import { Repository } from 'typeorm';

import { AuditRecordEntity } from './audit-record.entity';

@Injectable()
export class AuditTrailService {
  constructor(
    @InjectRepository(AuditRecordEntity) private readonly records: Repository<AuditRecordEntity>,
  ) {}

  /** Appends an event once: a redelivered event (same eventId) leaves the trail unchanged. */
  async append(event: AuditEvent): Promise<void> {
    await this.records
      .createQueryBuilder()
      .insert()
      .into(AuditRecordEntity)
      .values({
        eventId: event.eventId,
        action: event.action,
        actor: event.actor,
        occurredAt: new Date(event.occurredAt),
        messageId: event.messageId ?? null,
        subjectRef: event.subjectRef ?? null,
        payloadDigest: event.payloadDigest ?? null,
        detail: event.detail ?? null,
      })
      .orIgnore()
      .execute();
  }

  /** A message's events in the order they were appended. */
  trailOfMessage(messageId: string): Promise<AuditRecordEntity[]> {
    return this.records.find({ where: { messageId }, order: { seq: 'ASC' } });
  }
}
