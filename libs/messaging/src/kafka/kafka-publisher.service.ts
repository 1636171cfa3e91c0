import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  Admin,
  CompressionTypes,
  IHeaders,
  Kafka,
  Partitioners,
  Producer,
  RecordMetadata,
} from 'kafkajs';

import { KAFKA_RETRY, kafkaClientConfig, KAFKA_SETTINGS, KafkaSettings } from './kafka-settings';
import { describeError } from '../logging/error-serializer';

export interface OutgoingRecord {
  /** The partitioning key: the subjectRef, so one subject's records stay in order. */
  key: string;
  value: string | Buffer;
  headers?: IHeaders;
}

/** The broker has no such topic (auto-creation is off): nothing was sent. */
export class UnknownTopicError extends Error {
  constructor(readonly topic: string) {
    super(`topic ${topic} does not exist on the broker`);
  }
}

/**
 * Publishes records with an idempotent producer and acks from all in-sync replicas.
 * `publish` resolves only once the broker has the records, so a caller may then mark them sent.
 */
@Injectable()
export class KafkaPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaPublisher.name);
  private readonly producer: Producer;
  private readonly admin: Admin;
  private connecting: Promise<void> | null = null;
  /** Topics seen on the broker; topics are never deleted while the exchange runs. */
  private readonly knownTopics = new Set<string>();

  constructor(@Inject(KAFKA_SETTINGS) settings: KafkaSettings) {
    const kafka = new Kafka(kafkaClientConfig(settings, 'producer'));
    this.admin = kafka.admin();
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      // The Java client's murmur2 partitioner: a key lands on the same partition from any client.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Unlimited retries keep the idempotent producer's exactly-once guarantee through an outage;
      // callers wait for the broker rather than lose or reorder records.
      retry: { ...KAFKA_RETRY, retries: Number.MAX_SAFE_INTEGER },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connecting = null;
    });
  }

  async publish(topic: string, records: OutgoingRecord[]): Promise<RecordMetadata[]> {
    await this.connect();
    await this.assertTopicExists(topic);
    return this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: records.map((record) => ({ ...record })),
    });
  }

  /**
   * The producer retries without end (above), which for a topic that does not exist would be
   * for ever: such a send fails at once instead, and the caller backs off that topic alone.
   */
  private async assertTopicExists(topic: string): Promise<void> {
    if (this.knownTopics.has(topic)) return;
    await this.admin.connect();
    for (const name of await this.admin.listTopics()) this.knownTopics.add(name);
    if (!this.knownTopics.has(topic)) throw new UnknownTopicError(topic);
  }

  private connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.producer.connect().catch((error: unknown) => {
        this.connecting = null;
        this.logger.warn(`Kafka producer could not connect: ${describeError(error)}`);
        throw error;
      });
    }
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
