import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { MetricsService, SERVICE_ENV } from '@app/platform';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';

import { NodeServiceEnv } from '../config/node-service.env';
import { WEBHOOK_SIGNATURE_HEADER, webhookSignature } from './webhook-signature';
import { updateReturning } from '@app/persistence';
import { describeError } from '@app/messaging';

interface DueCall {
  message_id: string;
  mailbox_id: string;
  message_type: string;
  received_at: Date;
  attempts: number;
}

const BATCH_SIZE = 20;
/** A claimed call is not claimed again for this long: longer than one call's timeout. */
const LEASE_SECONDS = 60;
const CALL_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * Tells the mailbox webhook (MAILBOX_WEBHOOK_URL) about stored notifications, from the
 * `mailbox_webhook` table: claims due rows (FOR UPDATE SKIP LOCKED, with a lease, so instances
 * share the work and a crash only delays a call), POSTs ids and times with an HMAC header, and
 * on failure retries with doubling backoff, giving up after MAILBOX_WEBHOOK_MAX_ATTEMPTS (row
 * `failed`, a warning naming ids only, `sgx_mailbox_webhook_calls_total{outcome="failed"}`).
 */
@Injectable()
export class MailboxWebhookRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MailboxWebhookRelay.name);
  private readonly calls: Counter<'outcome'>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_ENV) private readonly env: NodeServiceEnv,
    @Optional() metrics?: MetricsService,
  ) {
    this.calls = new Counter({
      name: 'sgx_mailbox_webhook_calls_total',
      help: 'Mailbox webhook calls by outcome: delivered, retried, failed (given up)',
      labelNames: ['outcome'],
      registers: metrics ? [metrics.registry] : [],
    });
  }

  onApplicationBootstrap(): void {
    if (!this.env.MAILBOX_WEBHOOK_URL) return;
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.env.MAILBOX_WEBHOOK_POLL_INTERVAL_MS);
  }

  private async drain(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    try {
      while (!this.stopped && (await this.callBatch()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn(`mailbox webhook relay failed; will retry: ${describeError(error)}`);
    }
  }

  /** One batch of due calls. Returns how many it claimed. */
  async callBatch(): Promise<number> {
    const due = await updateReturning<DueCall>(
      this.dataSource,
      `UPDATE mailbox_webhook SET next_attempt_at = now() + make_interval(secs => $2)
        WHERE message_id IN (SELECT message_id FROM mailbox_webhook
                              WHERE status = 'pending' AND next_attempt_at <= now()
                              ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING message_id, mailbox_id, message_type, received_at, attempts`,
      [BATCH_SIZE, LEASE_SECONDS],
    );
    for (const call of due) await this.attempt(call);
    return due.length;
  }

  private async attempt(call: DueCall): Promise<void> {
    // Ids, type and time only: the school fetches the notification through the mailbox API.
    const body = JSON.stringify({
      event: 'notification-received',
      mailboxId: call.mailbox_id,
      messageId: call.message_id,
      type: call.message_type,
      receivedAt: new Date(call.received_at).toISOString(),
    });
    let failure: string | undefined;
    try {
      const response = await fetch(this.env.MAILBOX_WEBHOOK_URL!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(body, this.env.MAILBOX_WEBHOOK_SECRET ?? ''),
        },
        body,
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) failure = `HTTP ${response.status}`;
    } catch (error) {
      // The error's name or code, never a message that could echo the endpoint's answer.
      const cause = (error as { cause?: { code?: string } }).cause;
      failure = (cause?.code ?? (error as Error).name ?? 'error').slice(0, 100);
    }
    const attempts = call.attempts + 1;
    if (!failure) {
      await this.dataSource.query(
        `UPDATE mailbox_webhook SET status = 'delivered', attempts = $2, delivered_at = now(),
           last_error = NULL WHERE message_id = $1`,
        [call.message_id, attempts],
      );
      this.calls.inc({ outcome: 'delivered' });
      return;
    }
    if (attempts >= this.env.MAILBOX_WEBHOOK_MAX_ATTEMPTS) {
      await this.dataSource.query(
        `UPDATE mailbox_webhook SET status = 'failed', attempts = $2, last_error = $3 WHERE message_id = $1`,
        [call.message_id, attempts, failure],
      );
      this.calls.inc({ outcome: 'failed' });
      this.logger.warn(
        `mailbox webhook gave up after ${attempts} attempts for message ${call.message_id} (mailbox ${call.mailbox_id}): ${failure}`,
      );
      return;
    }
    const delayMs = Math.min(
      this.env.MAILBOX_WEBHOOK_RETRY_BASE_MS * 2 ** call.attempts,
      MAX_BACKOFF_MS,
    );
    await this.dataSource.query(
      `UPDATE mailbox_webhook SET attempts = $2, last_error = $3,
         next_attempt_at = now() + make_interval(secs => $4) WHERE message_id = $1`,
      [call.message_id, attempts, failure, delayMs / 1000],
    );
    this.calls.inc({ outcome: 'retried' });
  }
}
