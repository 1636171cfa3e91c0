import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { KafkaContext, KafkaRetriableException } from '@nestjs/microservices';
import { ClassConstructor } from 'class-transformer';
import { Counter, Registry } from 'prom-client';
import { ExchangeErrorCode, Topics } from '@app/contracts';
import { inRecordSpan } from '@app/tracing';

import { KafkaPublisher } from '../kafka/kafka-publisher.service';
import { DEPENDENCY_PROBE, DependencyProbe, METRICS_REGISTRY } from './dependency-probe';
import { classifyRecordFailure } from './record-failure';
import { validateRecord } from './validate-record';

/**
 * How often a record whose handler fails for no certain reason (a race lost, say) is tried, at
 * once and in a row, before it is set aside: a few milliseconds, never a partition held for long.
 */
export const MAX_HANDLER_ATTEMPTS = 3;
const ATTEMPT_PAUSE_MS = 25;

export const DeadLetterHeader = {
  reason: 'sgx_dead_letter_reason',
  code: 'sgx_dead_letter_code',
  sourceTopic: 'sgx_source_topic',
  sourcePartition: 'sgx_source_partition',
  sourceOffset: 'sgx_source_offset',
} as const;

/** What a consumer does with a record refused for good, in place of the dead-letter topic. */
export type PermanentFailureHandler = (failure: {
  code: ExchangeErrorCode;
  reason: string;
}) => Promise<void>;

/**
 * Runs a Kafka handler so that a record is never lost and never stalls its partition: it is
 * validated against its contract, handled, and only then its offset may be committed. A failure
 * is classified (classifyRecordFailure): while a dependency is away the record is retried,
 * uncounted, until it is back; a record that fails the same way every time is refused at once
 * with its code — by the consumer's own handler (the hub quarantines and tells the sender), or
 * on the dead-letter topic —; a failure of no certain cause is tried again at once a few times,
 * then refused as HANDLER_FAILED. Only then is the offset committed.
 */
@Injectable()
export class RecordProcessor {
  private readonly logger = new Logger(RecordProcessor.name);
  private readonly outcomes: Counter<'topic' | 'outcome'>;

  constructor(
    private readonly publisher: KafkaPublisher,
    @Optional() @Inject(DEPENDENCY_PROBE) private readonly probe?: DependencyProbe,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.outcomes = new Counter({
      name: 'sgx_kafka_records_total',
      help: 'Consumed records by topic and outcome: handled, failed (to be retried), refused, dead-lettered',
      labelNames: ['topic', 'outcome'],
      registers: registry ? [registry] : [],
    });
  }

  /** Validates the record body against its contract, then handles it (see `run`). */
  process<T extends object>(
    context: KafkaContext,
    contract: ClassConstructor<T>,
    handler: (record: T) => Promise<void>,
  ): Promise<void> {
    return this.run(context, async () =>
      handler(await validateRecord(contract, context.getMessage().value)),
    );
  }

  /**
   * Runs the work for one record (see the class comment). `onPermanent` refuses a record the
   * consumer's own way; when it is absent or fails itself, the record is dead-lettered.
   */
  run(
    context: KafkaContext,
    work: () => Promise<void>,
    onPermanent?: PermanentFailureHandler,
  ): Promise<void> {
    const record = {
      topic: context.getTopic(),
      partition: context.getPartition(),
      headers: context.getMessage().headers,
    };
    // The record's trace goes on here: what its work writes to the outbox carries it further.
    return inRecordSpan(record, () => this.attempt(context, work, onPermanent));
  }

  private async attempt(
    context: KafkaContext,
    work: () => Promise<void>,
    onPermanent?: PermanentFailureHandler,
  ): Promise<void> {
    const position = `${context.getTopic()}/${context.getPartition()}@${context.getMessage().offset}`;
    const topic = context.getTopic();
    for (let attempt = 1; ; attempt++) {
      try {
        await work();
        this.outcomes.inc({ topic, outcome: 'handled' });
        return;
      } catch (error) {
        this.outcomes.inc({ topic, outcome: 'failed' });
        const failure = classifyRecordFailure(error);
        if (failure.kind === 'permanent') {
          return this.refuse(context, { code: failure.code, reason: failure.reason }, onPermanent);
        }
        if (failure.kind === 'transient' || (this.probe && !(await this.probe.dependenciesUp()))) {
          this.logger.warn(
            `handler failed for ${position} while a dependency is down; will retry: ${failure.reason}`,
          );
          throw new KafkaRetriableException(failure.reason);
        }
        if (attempt >= MAX_HANDLER_ATTEMPTS) {
          return this.refuse(
            context,
            {
              code: ExchangeErrorCode.HANDLER_FAILED,
              reason: `handler failed ${attempt} times: ${failure.reason}`,
            },
            onPermanent,
          );
        }
        this.logger.warn(
          `handler failed for ${position} (attempt ${attempt}); trying again: ${failure.reason}`,
        );
        await new Promise((resolve) => setTimeout(resolve, ATTEMPT_PAUSE_MS * attempt));
      }
    }
  }

  private async refuse(
    context: KafkaContext,
    failure: { code: ExchangeErrorCode; reason: string },
    onPermanent?: PermanentFailureHandler,
  ): Promise<void> {
    if (onPermanent) {
      try {
        await onPermanent(failure);
        this.outcomes.inc({ topic: context.getTopic(), outcome: 'refused' });
        return;
      } catch (error) {
        const refusal = classifyRecordFailure(error);
        if (refusal.kind === 'transient' || (this.probe && !(await this.probe.dependenciesUp()))) {
          throw new KafkaRetriableException(refusal.reason);
        }
        failure = {
          code: failure.code,
          reason: `${failure.reason}; refusing it failed: ${refusal.reason}`,
        };
      }
    }
    await this.deadLetter(context, failure.reason, failure.code);
  }

  /** Moves the record to the dead-letter topic with the reason; the caller then lets it commit. */
  async deadLetter(
    context: KafkaContext,
    reason: string,
    code: ExchangeErrorCode = ExchangeErrorCode.HANDLER_FAILED,
  ): Promise<void> {
    const message = context.getMessage();
    this.outcomes.inc({ topic: context.getTopic(), outcome: 'dead-lettered' });
    // Positions and reasons only: the reason names fields, never their values.
    this.logger.error(
      `dead-lettering ${context.getTopic()}/${context.getPartition()}@${message.offset}: ${code}: ${reason}`,
    );
    const raw = message.value;
    const value = Buffer.isBuffer(raw)
      ? raw
      : Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(raw ?? null));
    await this.publisher.publish(Topics.deadLetter, [
      {
        key: message.key?.toString() ?? '',
        value,
        headers: {
          ...stringHeaders(message.headers),
          [DeadLetterHeader.reason]: reason.slice(0, 1_000),
          [DeadLetterHeader.code]: code,
          [DeadLetterHeader.sourceTopic]: context.getTopic(),
          [DeadLetterHeader.sourcePartition]: String(context.getPartition()),
          [DeadLetterHeader.sourceOffset]: message.offset,
        },
      },
    ]);
  }
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
}
