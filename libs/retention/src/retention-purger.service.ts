import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditDraft, OutboxWriter } from '@app/messaging';
import { BaseServiceEnv, Clock, SERVICE_ENV } from '@app/platform';
import { DataSource } from 'typeorm';

import { retentionCutoff, retentionPeriods } from './retention-periods';
import { retentionRule, RetentionRuleId } from './retention-rules';
import { PurgedItem, RETENTION_ACTOR, RETENTION_STORES, RetentionStore } from './retention-store';

/** How many items each rule purged in one run. */
export type PurgeCounts = Partial<Record<RetentionRuleId, number>>;

/** The tombstone's words: when, and under which rule (with its period). */
export function purgeNote(ruleId: RetentionRuleId, days: number, purgedAt: Date): string {
  const rule = retentionRule(ruleId);
  return `purged on ${purgedAt.toISOString()} under rule ${ruleId} (${rule.startsAt} + ${days} days)`;
}

/**
 * Runs every store a service owns under its rule: batch by batch, each batch in its own short
 * transaction that clears the payloads, leaves the tombstones and writes one signed `purged`
 * audit event per item to the outbox (metadata only), so a purge is audited if and only if it
 * committed. The stores take rows with SKIP LOCKED and skip tombstones, so the run is safe in
 * two instances at once and after a restart halfway.
 */
@Injectable()
export class RetentionPurger {
  private readonly logger = new Logger(RetentionPurger.name);
  private readonly periods: Record<RetentionRuleId, number>;
  private readonly batchSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(SERVICE_ENV) env: BaseServiceEnv,
    @Inject(RETENTION_STORES) private readonly stores: RetentionStore[],
    @Inject(RETENTION_ACTOR) private readonly actor: string,
  ) {
    this.periods = retentionPeriods(env);
    this.batchSize = env.RETENTION_PURGE_BATCH_SIZE;
  }

  /** Purges everything due at `now` (the service's clock unless a test gives one). */
  async run(now: Date = this.clock.now()): Promise<PurgeCounts> {
    const counts: PurgeCounts = {};
    for (const store of this.stores) {
      const days = this.periods[store.ruleId];
      const cutoff = retentionCutoff(now, days);
      let total = 0;
      for (;;) {
        const purged = await this.dataSource.transaction(async (manager) => {
          const items = await store.purge(manager, {
            cutoff,
            purgedAt: now,
            limit: this.batchSize,
          });
          await this.outbox.audit(
            manager,
            items.map((item) => this.auditOf(item, store.ruleId, days, now)),
          );
          return items.length;
        });
        total += purged;
        if (purged < this.batchSize) break;
      }
      if (total > 0) {
        counts[store.ruleId] = total;
        this.logger.log(`purged ${total} items under retention rule ${store.ruleId}`);
      }
    }
    if (Object.keys(counts).length > 0) this.outbox.wake();
    return counts;
  }

  private auditOf(
    item: PurgedItem,
    ruleId: RetentionRuleId,
    days: number,
    purgedAt: Date,
  ): AuditDraft {
    return {
      action: 'purged',
      actor: this.actor,
      occurredAt: purgedAt.toISOString(),
      messageId: item.messageId,
      ruleId,
      detail: purgeNote(ruleId, days, purgedAt),
      ...(item.subjectRef ? { subjectRef: item.subjectRef } : {}),
      ...(item.messageType ? { messageType: item.messageType } : {}),
      ...(item.recipientMailbox ? { recipientMailbox: item.recipientMailbox } : {}),
    };
  }
}
