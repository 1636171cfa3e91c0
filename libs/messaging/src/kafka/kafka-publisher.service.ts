import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, IHeaders, Kafka, Partitioners, Producer, RecordMetadata } from 'kafkajs';

import { KAFKA_RETRY, kafkaClientConfig, KAFKA_SETTINGS, KafkaSettings } from './kafka-settings';

export interface OutgoingRecord {
  /** The partitioning key: the subjectRef, so one subject's records stay in order. */
  key: string;
  value: string | Buffer;
  headers?: IHeaders;
}

/**
 * Publishes records with an idempotent producer and acks from all in-sync replicas.
 * `publish` resolves only once the broker has the records, so a caller may then mark them sent.
 */
@Injectable()
export class KafkaPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaPublisher.name);
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;

  constructor(@Inject(KAFKA_SETTINGS) settings: KafkaSettings) {
    this.producer = new Kafka(kafkaClientConfig(settings, 'producer')).producer({
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
    return this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: records.map((record) => ({ ...record })),
    });
  }

  private connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.producer.connect().catch((error: unknown) => {
        this.connecting = null;
        this.logger.warn(`Kafka producer could not connect: ${(error as Error).message}`);
        throw error;
      });
    }
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
