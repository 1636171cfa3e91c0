import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { KafkaContext, KafkaRetriableException } from '@nestjs/microservices';
import { ClassConstructor } from 'class-transformer';
import { Counter, Registry } from 'prom-client';
import { Topics } from '@app/contracts';

import { KafkaPublisher } from '../kafka/kafka-publisher.service';
import { DEPENDENCY_PROBE, DependencyProbe, METRICS_REGISTRY } from './dependency-probe';
import { InvalidRecordError, validateRecord } from './validate-record';

/** How often a record whose handler fails is tried before it is moved to the dead-letter topic. */
export const MAX_HANDLER_ATTEMPTS = 5;

export const DeadLetterHeader = {
  reason: 'sgx_dead_letter_reason',
  sourceTopic: 'sgx_source_topic',
  sourcePartition: 'sgx_source_partition',
  sourceOffset: 'sgx_source_offset',
} as const;

/**
 * Runs a Kafka handler so that a record is never lost: it is validated against its contract,
 * handled, and only then its offset may be committed. A failing handler throws so the record is
 * redelivered; after MAX_HANDLER_ATTEMPTS, or at once for a record that can never be valid, the
 * record goes to the dead-letter topic with the reason, and only then is it committed.
 */
@Injectable()
export class RecordProcessor {
  private readonly logger = new Logger(RecordProcessor.name);
  private readonly attempts = new Map<string, number>();
  private readonly outcomes: Counter<'topic' | 'outcome'>;

  constructor(
    private readonly publisher: KafkaPublisher,
    @Optional() @Inject(DEPENDENCY_PROBE) private readonly probe?: DependencyProbe,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.outcomes = new Counter({
      name: 'sgx_kafka_records_total',
      help: 'Consumed records by topic and outcome: handled, failed (to be retried), dead-lettered',
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
   * Runs the work for one record. InvalidRecordError dead-letters at once; any other error is
   * rethrown as retriable until MAX_HANDLER_ATTEMPTS, then dead-lettered.
   */
  async run(context: KafkaContext, work: () => Promise<void>): Promise<void> {
    const position = `${context.getTopic()}/${context.getPartition()}@${context.getMessage().offset}`;
    const topic = context.getTopic();
    try {
      await work();
      this.attempts.delete(position);
      this.outcomes.inc({ topic, outcome: 'handled' });
    } catch (error) {
      if (error instanceof InvalidRecordError) {
        await this.deadLetter(context, error.message);
        return;
      }
      this.outcomes.inc({ topic, outcome: 'failed' });
      const reason = (error as Error).message;
      if (this.probe && !(await this.probe.dependenciesUp())) {
        this.logger.warn(
          `handler failed for ${position} while a dependency is down; will retry: ${reason}`,
        );
        throw new KafkaRetriableException(reason);
      }
      const attempt = (this.attempts.get(position) ?? 0) + 1;
      if (attempt >= MAX_HANDLER_ATTEMPTS) {
        this.attempts.delete(position);
        await this.deadLetter(context, `handler failed ${attempt} times: ${reason}`);
        return;
      }
      this.attempts.set(position, attempt);
      this.logger.warn(
        `handler failed for ${position} (attempt ${attempt}); will retry: ${reason}`,
      );
      throw new KafkaRetriableException(reason);
    }
  }

  /** Moves the record to the dead-letter topic with the reason; the caller then lets it commit. */
  async deadLetter(context: KafkaContext, reason: string): Promise<void> {
    const message = context.getMessage();
    this.outcomes.inc({ topic: context.getTopic(), outcome: 'dead-lettered' });
    // Positions and reasons only: the reason names fields, never their values.
    this.logger.error(
      `dead-lettering ${context.getTopic()}/${context.getPartition()}@${message.offset}: ${reason}`,
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
