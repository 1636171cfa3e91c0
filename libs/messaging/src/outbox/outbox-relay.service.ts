import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { Topics } from '@app/contracts';
import { DataSource } from 'typeorm';

import { KafkaPublisher } from '../kafka/kafka-publisher.service';
import { METRICS_REGISTRY } from '../records/dependency-probe';
import { OutboxHealth } from './outbox-health';
import { OutboxListener } from './outbox-notifications';
import { isPublishRefusal } from './publish-refusal';
import { updateReturning } from '@app/persistence';
import { describeError } from '../logging/error-serializer';
import { AUDIT_EVENT_SIGNER, AuditEventSigner } from './audit-event-signer';

export interface OutboxSettings {
  /** Poll interval when nothing wakes the relay (a commit that wrote rows wakes it at once). */
  pollIntervalMs: number;
  batchSize: number;
  /** How long a claim lasts; a row claimed by a relay that died is claimed again after it. */
  leaseSeconds: number;
  /** false leaves rows unsent (an operator pause, or a test of a crash before publishing). */
  enabled: boolean;
  /** Sent rows are deleted this many hours after sending (OutboxRetention). */
  retentionHours?: number;
  /**
   * Refusals by the broker (isPublishRefusal) after which a row is marked failed and no longer
   * tried; default 20 (about ten minutes of refusals at the 30 s backoff).
   */
  maxAttempts?: number;
}

export const OUTBOX_SETTINGS = Symbol('OUTBOX_SETTINGS');

/** How long a topic that refused a publish is left alone before its rows are tried again. */
const FAILED_TOPIC_BACKOFF_SECONDS = 30;
const DEFAULT_MAX_ATTEMPTS = 20;

interface ClaimedRow {
  id: string;
  topic: string;
  record_key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * Publishes outbox rows: claims a small batch in one short transaction (FOR UPDATE SKIP LOCKED,
 * so several instances share the work), publishes with the idempotent acks=all producer outside
 * any transaction, then marks the rows sent. A topic that refuses a publish is backed off on its
 * own, so the other topics keep flowing. A crash between publish and mark re-publishes the
 * rows once the lease runs out: consumers are idempotent by message id, so a copy is harmless.
 * A row the broker refuses (isPublishRefusal: its topic missing or not authorised, the record
 * too large) counts an attempt; after OUTBOX_MAX_ATTEMPTS it is marked failed, kept (never
 * deleted), left out of every later claim, counted on /health and in `sgx_outbox_unsendable`,
 * and logged once. An unreachable broker counts nothing, so an outage never fails a row.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly listener: OutboxListener;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: KafkaPublisher,
    @Inject(OUTBOX_SETTINGS) private readonly settings: OutboxSettings,
    outboxHealth: OutboxHealth,
    @Inject(AUDIT_EVENT_SIGNER) private readonly auditSigner: AuditEventSigner,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.listener = new OutboxListener(dataSource, () => this.wake());
    new Gauge({
      name: 'sgx_outbox_unsendable',
      help: 'Outbox rows the broker kept refusing (topic missing or not authorised), no longer tried',
      registers: registry ? [registry] : [],
      async collect() {
        // A scrape while the database is away keeps the last value rather than failing /metrics.
        if (!dataSource.isInitialized) return;
        this.set(await outboxHealth.unsendable().catch(() => Number.NaN));
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.enabled) {
      this.logger.warn(
        'outbox relay is disabled (OUTBOX_RELAY_ENABLED=false): nothing is published',
      );
      return;
    }
    await this.listener.start();
    this.schedule(this.settings.pollIntervalMs);
  }

  wake(): void {
    if (this.stopped || !this.settings.enabled) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops polling and waits for a batch in flight; rows left unsent wait for the next instance. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.listener.stop();
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.running || this.stopped) return;
    this.running = this.drain();
    try {
      await this.running;
    } finally {
      this.running = null;
      const soon = this.again;
      this.again = false;
      this.schedule(soon ? 0 : this.settings.pollIntervalMs);
    }
  }

  /** Publishes batches until the outbox is empty. Errors leave rows to be claimed again. */
  private async drain(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    try {
      for (;;) {
        const published = await this.publishBatch();
        if (published < this.settings.batchSize || this.stopped) return;
      }
    } catch (error) {
      this.logger.warn(`outbox publish failed; will retry: ${describeError(error)}`);
    }
  }

  /** One batch: claim, publish, mark sent. Returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const claimed = await updateReturning<ClaimedRow>(
      this.dataSource,
      `UPDATE outbox SET claimed_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT o.id FROM outbox o
                      WHERE o.sent_at IS NULL AND o.failed_at IS NULL
                        AND (o.claimed_until IS NULL OR o.claimed_until < now())
                        -- Not past an earlier row of its topic that is claimed or backed off:
                        -- a topic's records go out in the order they were written.
                        AND NOT EXISTS (SELECT 1 FROM outbox h
                                         WHERE h.sent_at IS NULL AND h.failed_at IS NULL
                                           AND h.id < o.id AND h.topic = o.topic
                                           AND h.claimed_until >= now())
                      ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, topic, record_key, value, headers`,
      [this.settings.batchSize, this.settings.leaseSeconds],
    );
    if (claimed.length === 0) return 0;
    claimed.sort((a, b) => Number(a.id) - Number(b.id));
    // Per topic, in id order: one subject's records keep the order they were written in.
    const byTopic = new Map<string, ClaimedRow[]>();
    for (const row of claimed) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
    const sent: string[] = [];
    const failures: string[] = [];
    // Topics are published side by side: one that hangs in retries does not hold up the others.
    const results = await Promise.allSettled(
      [...byTopic].map(async ([topic, rows]) => {
        await this.publisher.publish(
          topic,
          await Promise.all(
            rows.map(async (row) => ({
              key: row.record_key,
              value: await this.valueToSend(topic, row.value),
              headers: row.headers,
            })),
          ),
        );
        return rows.map((row) => row.id);
      }),
    );
    const topics = [...byTopic.keys()];
    for (const [index, result] of results.entries()) {
      if (result.status === 'fulfilled') {
        sent.push(...result.value);
        continue;
      }
      // A topic that cannot take records (missing, or its partition leader gone) must not hold
      // back the others: its unsent rows, these and later ones, wait out a backoff together, so
      // they are retried in the order they were written.
      failures.push(`${topics[index]}: ${(result.reason as Error).message}`);
      await this.dataSource.query(
        `UPDATE outbox SET claimed_until = now() + make_interval(secs => $2)
          WHERE topic = $1 AND sent_at IS NULL AND failed_at IS NULL`,
        [topics[index], FAILED_TOPIC_BACKOFF_SECONDS],
      );
      await this.recordAttempt(topics[index], byTopic.get(topics[index])!, result.reason);
    }
    if (sent.length > 0) {
      await this.dataSource.query(
        `UPDATE outbox SET sent_at = now(), value = NULL, claimed_until = NULL WHERE id = ANY($1)`,
        [sent],
      );
    }
    if (failures.length > 0) {
      throw new Error(`${sent.length} sent; not published: ${failures.join('; ')}`);
    }
    return claimed.length;
  }

  /**
   * Notes why the rows tried failed; a refusal by the broker counts an attempt, and the rows
   * that reach the bound are marked failed (logged with the topic and row ids only).
   */
  private async recordAttempt(topic: string, rows: ClaimedRow[], error: unknown): Promise<void> {
    const refused = isPublishRefusal(error);
    const updated = await updateReturning<{ id: string; failed_at: Date | null }>(
      this.dataSource,
      `UPDATE outbox SET last_error = left($2, 300),
              attempts = attempts + CASE WHEN $3 THEN 1 ELSE 0 END,
              failed_at = CASE WHEN $3 AND attempts + 1 >= $4 THEN now() END
        WHERE id = ANY($1) AND sent_at IS NULL
        RETURNING id, failed_at`,
      [
        rows.map((row) => row.id),
        describeError(error),
        refused,
        this.settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ],
    );
    const failed = updated.filter((row) => row.failed_at);
    if (failed.length > 0) {
      this.logger.error(
        `outbox rows ${failed.map((row) => row.id).join(', ')} for ${topic} marked failed after ${this.settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS} refusals; no longer retried (docs/operations.md, Outbox)`,
      );
    }
  }

  /**
   * Audit events are signed here, just before they are produced, not by the writer: the writer
   * runs inside the business transaction, often one holding row locks (FOR UPDATE), and a
   * signature there would lengthen every lock by a crypto operation. Ed25519 signatures are
   * deterministic, so a row published again after a crash carries the same JWS.
   */
  private valueToSend(topic: string, value: string): Promise<string> | string {
    return topic === Topics.auditEvents ? this.auditSigner.sign(value) : value;
  }
}
