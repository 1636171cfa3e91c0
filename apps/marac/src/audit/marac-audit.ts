import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher } from '@app/messaging';

import { Clock } from '../clock/clock';

export type MaracAuditFacts = Omit<AuditEvent, 'eventId' | 'actor' | 'occurredAt'>;

/**
 * Publishes the MARAC's audit events (metadata only: ids, mailboxes, deadlines; never free text)
 * straight to the audit topic after the transaction commits. Not awaited by the request: a
 * broker outage must not hold a coordinator's request, and the publisher retries on its own. The
 * gap, an event lost if the process dies before the broker has it, closes when the transport's
 * outbox carries these events (docs/marac.md).
 */
@Injectable()
export class MaracAudit {
  private readonly logger = new Logger(MaracAudit.name);

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly clock: Clock,
  ) {}

  publish(facts: MaracAuditFacts[]): void {
    if (facts.length === 0) return;
    const occurredAt = this.clock.now().toISOString();
    const events: AuditEvent[] = facts.map((fact) => ({
      eventId: randomUUID(),
      actor: 'marac',
      occurredAt,
      ...fact,
    }));
    this.publisher
      .publish(
        Topics.auditEvents,
        events.map((event) => ({ key: event.subjectRef ?? 'marac', value: JSON.stringify(event) })),
      )
      .catch((error: unknown) =>
        this.logger.warn(
          `${events.length} audit event(s) not published: ${(error as Error).message}`,
        ),
      );
  }
}
