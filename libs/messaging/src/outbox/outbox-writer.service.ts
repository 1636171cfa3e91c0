import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { AuditEvent, storableJson, Topics } from '@app/contracts';
import { EntityManager } from 'typeorm';

import { OutgoingRecord } from '../kafka/kafka-publisher.service';
import { OutboxRelay } from './outbox-relay.service';

export interface OutboxRecord extends OutgoingRecord {
  topic: string;
  headers?: Record<string, string>;
}

/** An audit event without the fields the writer fills in. */
export type AuditDraft = Omit<AuditEvent, 'eventId' | 'occurredAt'> &
  Partial<Pick<AuditEvent, 'eventId' | 'occurredAt'>>;

/**
 * Adds records to the outbox inside the caller's transaction, so they are published if and only
 * if the business change commits. Call `wake()` after the commit for a prompt publish.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly relay: OutboxRelay) {}

  async add(manager: EntityManager, records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values: unknown[] = [];
    const rows = records.map((record, index) => {
      values.push(record.topic, record.key, String(record.value), record.headers ?? {});
      const base = index * 4;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4})`;
    });
    await manager.query(
      `INSERT INTO outbox (topic, record_key, value, headers) VALUES ${rows.join(', ')}`,
      values,
    );
  }

  /** Audit events travel through the outbox too, so an event is never lost nor sent for a rollback. */
  audit(manager: EntityManager, events: AuditDraft[]): Promise<void> {
    return this.add(
      manager,
      events.map((draft) => {
        // Storable text only: the audit service refuses an event it could not store as it came.
        const event: AuditEvent = storableJson({
          eventId: randomUUID(),
          occurredAt: new Date().toISOString(),
          ...draft,
        });
        return {
          topic: Topics.auditEvents,
          key: event.subjectRef ?? event.messageId ?? event.eventId,
          value: JSON.stringify(event),
        };
      }),
    );
  }

  /** Asks the relay to poll now rather than at its next interval. */
  wake(): void {
    this.relay.wake();
  }
}
