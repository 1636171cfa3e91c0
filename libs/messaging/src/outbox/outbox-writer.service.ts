import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { AuditEvent, storableJson, Topics } from '@app/contracts';
import { activeTraceHeaders } from '@app/tracing';
import { EntityManager } from 'typeorm';

import { OutgoingRecord } from '../kafka/kafka-publisher.service';
import { outboxChannel } from './outbox-notifications';
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
 * if the business change commits. The same statement NOTIFYs the service's outbox channel, which
 * PostgreSQL delivers at commit to every instance's relay: nobody waits for a poll.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly relay: OutboxRelay) {}

  async add(manager: EntityManager, records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values: unknown[] = [outboxChannel(manager.connection)];
    // The trace this write belongs to travels with the record, so the consumer continues it.
    const trace = activeTraceHeaders();
    const rows = records.map((record, index) => {
      values.push(record.topic, record.key, String(record.value), { ...trace, ...record.headers });
      const base = 1 + index * 4;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4})`;
    });
    // One round trip: the rows and the notification that wakes the relays once they commit.
    await manager.query(
      `WITH added AS (
         INSERT INTO outbox (topic, record_key, value, headers) VALUES ${rows.join(', ')} RETURNING id)
       SELECT pg_notify($1, count(*)::text) FROM added`,
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

  /**
   * Asks this process's relay to poll now. Optional since writes NOTIFY on commit; it saves the
   * notification's round trip through PostgreSQL.
   */
  wake(): void {
    this.relay.wake();
  }
}
