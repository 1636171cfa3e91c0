import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@app/messaging';
import { AuditEvent } from '@app/contracts';
import { EntityManager } from 'typeorm';

import { Clock } from '../clock/clock';

export type MaracAuditFacts = Omit<AuditEvent, 'eventId' | 'actor' | 'occurredAt'>;

/**
 * The MARAC's audit events (metadata only: ids, mailboxes, deadlines; never free text), written
 * to the node's outbox in the same transaction as the change they record: published if and
 * only if it commits, and kept through a broker outage.
 */
@Injectable()
export class MaracAudit {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async record(tx: EntityManager, facts: MaracAuditFacts[]): Promise<void> {
    const occurredAt = this.clock.now().toISOString();
    await this.outbox.audit(
      tx,
      facts.map((fact) => ({ actor: 'marac', occurredAt, ...fact })),
    );
  }

  /** After the commit: publish now rather than at the relay's next poll. */
  wake(): void {
    this.outbox.wake();
  }
}
