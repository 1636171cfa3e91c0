import { randomUUID } from 'node:crypto';

import { Consumer, KafkaMessage } from 'kafkajs';

import { testKafka } from './test-kafka';

/**
 * A plain kafkajs consumer in a throw-away group that collects every record of a topic, as an
 * eavesdropper with read access would see them.
 */
export class RawTopicReader {
  readonly records: KafkaMessage[] = [];
  private consumer: Consumer | null = null;

  constructor(private readonly topic: string) {}

  async start(): Promise<void> {
    const kafka = testKafka('raw-reader');
    this.consumer = kafka.consumer({ groupId: `raw-reader-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.records.push(message);
      },
    });
  }

  find(predicate: (record: KafkaMessage) => boolean): KafkaMessage | undefined {
    return this.records.find(predicate);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
