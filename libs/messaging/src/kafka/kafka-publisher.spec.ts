import { Partitioners, PartitionMetadata } from 'kafkajs';

import { KafkaPublisher } from './kafka-publisher.service';
import { KafkaSettings } from './kafka-settings';
import { recordsByPartition } from './records-by-partition';

/** What KafkaPublisher's producer was asked to send, by a Kafka client played here. */
const producerSends: { topic: string; messages: { key: string; partition?: number }[] }[] = [];
jest.mock('kafkajs', () => {
  const actual = jest.requireActual<typeof import('kafkajs')>('kafkajs');
  class PlayedKafka {
    producer() {
      return {
        events: { DISCONNECT: 'producer.disconnect' },
        on: () => undefined,
        connect: async () => undefined,
        disconnect: async () => undefined,
        send: async (request: (typeof producerSends)[number]) => {
          producerSends.push(request);
          return request.messages.map((m) => ({
            topicName: request.topic,
            partition: m.partition,
          }));
        },
      };
    }
    admin() {
      return {
        connect: async () => undefined,
        disconnect: async () => undefined,
        listTopics: async () => ['sgx.delivery.police.v1'],
        fetchTopicMetadata: async () => ({
          topics: [
            {
              name: 'sgx.delivery.police.v1',
              partitions: [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1 })),
            },
          ],
        }),
      };
    }
  }
  return { ...actual, Kafka: PlayedKafka };
});

/* eslint-disable @typescript-eslint/no-require-imports */
// kafkajs's own send path, with a cluster played here: what its producer does on a retry.
const sendMessages = require('kafkajs/src/producer/sendMessages') as (
  options: object,
) => (request: object) => Promise<{ partition: number }[]>;
const createRetry = require('kafkajs/src/retry') as (options: object) => unknown;
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): Error;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const NOT_LEADER_OR_FOLLOWER = 6;
const TOPIC = 'sgx.delivery.police.v1';

/**
 * Two brokers; partition 0 led by broker 1, partition 1 by broker 2 until broker 2 answers "not
 * the leader" once, when broker 1 takes partition 1 over (a controlled shutdown). `written`
 * holds what each partition's leader appended.
 */
function leadershipMovingCluster() {
  const written = new Map<number, string[]>();
  let leaderOfPartition1 = 2;
  const broker = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: TopicData[] }) {
      const partitions = topicData.flatMap((t) => t.partitions);
      if (nodeId === 2) throw createErrorFromCode(NOT_LEADER_OR_FOLLOWER);
      for (const { partition, messages } of partitions) {
        written.set(partition, [
          ...(written.get(partition) ?? []),
          ...messages.map((m) => String(m.key)),
        ]);
      }
      return {
        topics: [
          {
            topicName: TOPIC,
            partitions: partitions.map(({ partition }) => ({
              partition,
              errorCode: 0,
              baseOffset: '0',
            })),
          },
        ],
      };
    },
  });
  const brokers = new Map([1, 2].map((id) => [id, broker(id)]));
  const metadata = (): PartitionMetadata[] => [
    { partitionId: 0, leader: 1, replicas: [1, 2], isr: [1, 2], partitionErrorCode: 0 },
    {
      partitionId: 1,
      leader: leaderOfPartition1,
      replicas: [1, 2],
      isr: [1, 2],
      partitionErrorCode: 0,
    },
  ];
  const cluster = {
    refreshMetadataIfNecessary: async () => undefined,
    refreshMetadata: async () => {
      leaderOfPartition1 = 1;
    },
    addMultipleTargetTopics: async () => undefined,
    isConnected: () => true,
    findTopicPartitionMetadata: () => metadata(),
    findLeaderForPartitions: (_topic: string, partitions: string[]) => {
      const byLeader: Record<number, number[]> = {};
      for (const p of partitions.map(Number)) {
        const leader = metadata()[p].leader;
        byLeader[leader] = [...(byLeader[leader] ?? []), p];
      }
      return byLeader;
    },
    findBroker: async ({ nodeId }: { nodeId: number | string }) => brokers.get(Number(nodeId)),
  };
  const sequences = new Map<string, number>();
  const eosManager = {
    acquireBrokerLock: async () => undefined,
    releaseBrokerLock: async () => undefined,
    isTransactional: () => false,
    getProducerId: () => 1,
    getProducerEpoch: () => 0,
    getSequence: (topic: string, partition: number) => sequences.get(`${topic}/${partition}`) ?? 0,
    updateSequence: (topic: string, partition: number, n: number) =>
      sequences.set(`${topic}/${partition}`, (sequences.get(`${topic}/${partition}`) ?? 0) + n),
  };
  const logger = { error: () => undefined, debug: () => undefined };
  const send = sendMessages({
    logger,
    cluster,
    partitioner: Partitioners.DefaultPartitioner(),
    eosManager,
    retrier: createRetry({ initialRetryTime: 1, retries: 5 }),
  });
  return { written, metadata, send };
}

interface TopicData {
  partitions: { partition: number; messages: { key: string }[] }[];
}

/** Keys that the Java client's partitioner puts on partition 0 and on partition 1 of two. */
function keysOnEachPartition(metadata: PartitionMetadata[]): [string, string] {
  const partitionOf = Partitioners.DefaultPartitioner();
  const found: string[] = [];
  for (let i = 0; found.length < 2; i++) {
    const key = `subject-${i}`;
    const partition = partitionOf({
      topic: TOPIC,
      partitionMetadata: metadata,
      message: { key, value: null },
    });
    if (partition === found.length) found.push(key);
  }
  return [found[0], found[1]];
}

describe('KafkaPublisher: one partition per send (issue 15, a receipt lost while the brokers restarted)', () => {
  it('kafkajs 2.2.4: a send spanning two partitions resolves although one was never written, when that partition moves to the broker that answered for the other', async () => {
    const { written, metadata, send } = leadershipMovingCluster();
    const [onZero, onOne] = keysOnEachPartition(metadata());

    const sent = await send({
      acks: -1,
      topicMessages: [{ topic: TOPIC, messages: [{ key: onZero }, { key: onOne }] }],
    });

    // The send resolved, so an outbox would mark both rows sent; partition 1 has nothing.
    expect(sent.map((r) => r.partition)).toEqual([0]);
    expect(written.get(0)).toEqual([onZero]);
    expect(written.get(1)).toBeUndefined();
  });

  it('records grouped by partition and sent one group per send all reach their new leader', async () => {
    const { written, metadata, send } = leadershipMovingCluster();
    const [onZero, onOne] = keysOnEachPartition(metadata());
    const records = [{ key: onZero }, { key: onOne }, { key: onZero }];

    const groups = recordsByPartition(TOPIC, metadata(), records);
    await Promise.all(
      [...groups].map(([partition, group]) =>
        send({
          acks: -1,
          topicMessages: [
            { topic: TOPIC, messages: group.map((record) => ({ ...record, partition })) },
          ],
        }),
      ),
    );

    expect(written.get(0)).toEqual([onZero, onZero]);
    expect(written.get(1)).toEqual([onOne]);
  });

  it('groups records by the partition the producer would choose, in their order, each once', () => {
    const metadata: PartitionMetadata[] = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
      partitionErrorCode: 0,
    }));
    const records = Array.from({ length: 30 }, (_, i) => ({ key: `subject-${i % 7}`, n: i }));
    const partitionOf = Partitioners.DefaultPartitioner();

    const groups = recordsByPartition(TOPIC, metadata, records);

    expect([...groups.values()].flat()).toHaveLength(records.length);
    for (const [partition, group] of groups) {
      for (const record of group) {
        expect(
          partitionOf({
            topic: TOPIC,
            partitionMetadata: metadata,
            message: { key: record.key, value: null },
          }),
        ).toBe(partition);
      }
      expect(group.map((r) => r.n)).toEqual([...group.map((r) => r.n)].sort((a, b) => a - b));
    }
  });

  it('KafkaPublisher.publish asks its producer for one send per partition, each record with its partition set', async () => {
    const publisher = new KafkaPublisher({
      brokers: ['127.0.0.1:1'],
      groupId: 'publisher-test',
      partitionsConsumedConcurrently: 1,
      security: { sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } },
    } as KafkaSettings);
    const records = Array.from({ length: 12 }, (_, i) => ({
      key: `subject-${i}`,
      value: `record ${i}`,
    }));

    const sent = await publisher.publish(TOPIC, records);

    expect(sent).toHaveLength(records.length);
    expect(producerSends.length).toBeGreaterThan(1);
    for (const request of producerSends) {
      const partitions = new Set(request.messages.map((m) => m.partition));
      expect(partitions.size).toBe(1);
      expect([...partitions][0]).toEqual(expect.any(Number));
    }
    expect(producerSends.flatMap((r) => r.messages.map((m) => m.key)).sort()).toEqual(
      records.map((r) => r.key).sort(),
    );
  });
});
