import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  Admin,
  CompressionTypes,
  IHeaders,
  Kafka,
  Partitioners,
  PartitionMetadata,
  Producer,
  RecordMetadata,
} from 'kafkajs';

import { KAFKA_RETRY, kafkaClientConfig, KAFKA_SETTINGS, KafkaSettings } from './kafka-settings';
import { recordsByPartition } from './records-by-partition';
import { describeError } from '../logging/error-serializer';

/** How long a topic's partition list is used before it is read again (partitions added). */
const PARTITIONS_MAX_AGE_MS = 60_000;

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
 *
 * Each partition's records go in a send of their own. kafkajs 2.2.4 keeps the answers of one
 * send per broker across its retries: when a partition's leader fails the first attempt and the
 * leadership moves to a broker that already answered for another partition of the same send,
 * the retry sends nothing to it and the send resolves — the records of that partition were
 * never written (tulios/kafkajs#1303, #1798). The fault run found a receipt lost that way while
 * the brokers restarted. With one partition per send, a retry always goes to the new leader.
 */
@Injectable()
export class KafkaPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaPublisher.name);
  private readonly producer: Producer;
  private readonly admin: Admin;
  private connecting: Promise<void> | null = null;
  /** Topics seen on the broker; topics are never deleted while the exchange runs. */
  private readonly knownTopics = new Set<string>();
  private readonly partitions = new Map<string, { list: PartitionMetadata[]; at: number }>();

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
    const groups = recordsByPartition(topic, await this.partitionsOf(topic), records);
    // Partitions side by side; within one, the records keep their order in one request.
    const sent = await Promise.all(
      [...groups].map(([partition, group]) =>
        this.producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: group.map((record) => ({ ...record, partition })),
        }),
      ),
    );
    return sent.flat();
  }

  /** The topic's partitions as the broker lists them, read again after a minute. */
  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const cached = this.partitions.get(topic);
    if (cached && Date.now() - cached.at < PARTITIONS_MAX_AGE_MS) return cached.list;
    await this.admin.connect();
    const {
      topics: [metadata],
    } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    this.partitions.set(topic, { list: metadata.partitions, at: Date.now() });
    return metadata.partitions;
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
