import { TopicSpec } from '@app/contracts';
import { Admin, Kafka } from 'kafkajs';

import { kafkaClientConfig, KafkaSettings } from './kafka-settings';

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
}

/** Runs `work` with a connected admin client of the given principal, then disconnects it. */
export async function withKafkaAdmin<T>(
  settings: Pick<KafkaSettings, 'brokers' | 'security'>,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = new Kafka(
    kafkaClientConfig(
      { ...settings, groupId: 'sgx-admin', partitionsConsumedConcurrently: 1 },
      'admin',
    ),
  ).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * How many replicas must have a record before an acks=all write succeeds: two of three, so that
 * losing one broker neither loses an acknowledged record nor stops writes; one where there are
 * fewer than three replicas (a single development broker).
 */
export function minInsyncReplicas(replicationFactor: number): number {
  return Math.max(1, Math.min(2, replicationFactor - 1));
}

/**
 * Creates the topics that do not exist yet, with explicit partitions and configs, and
 * min.insync.replicas for the replication factor. An existing topic with fewer partitions than
 * its spec is an error: adding partitions moves keys, so an operator must decide it.
 */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpec[],
  replicationFactor = 1,
): Promise<EnsureTopicsResult> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existingNames.has(spec.topic));
  if (missing.length > 0) {
    await admin.createTopics({
      // kafkajs's own wait gives up when the broker it asks has not yet heard of a topic the
      // controller just made, as happens on a cluster; untilLeadersElected waits for that too.
      waitForLeaders: false,
      topics: missing.map((spec) => ({
        ...spec,
        replicationFactor,
        configEntries: [
          ...spec.configEntries,
          { name: 'min.insync.replicas', value: String(minInsyncReplicas(replicationFactor)) },
        ],
      })),
    });
  }
  if (missing.length > 0)
    await untilLeadersElected(
      admin,
      missing.map((spec) => spec.topic),
    );
  const present = specs.filter((spec) => existingNames.has(spec.topic));
  if (present.length > 0) {
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) });
    for (const topic of metadata.topics) {
      const wanted = present.find((spec) => spec.topic === topic.name)!.numPartitions;
      if (topic.partitions.length < wanted) {
        throw new Error(
          `topic ${topic.name} has ${topic.partitions.length} partitions, its spec wants ${wanted}`,
        );
      }
    }
  }
  return { created: missing.map((s) => s.topic), existing: present.map((s) => s.topic) };
}

const LEADER_WAIT_MS = 30_000;
/** Errors of a topic whose creation has not reached every broker yet. */
const NOT_YET_KNOWN = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** Resolves once every partition of the topics has a leader, as the broker's metadata says. */
async function untilLeadersElected(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.topics.filter(
        (topic) =>
          topic.partitions.length === 0 ||
          topic.partitions.some((partition) => partition.leader < 0),
      );
      if (leaderless.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `no leader after ${LEADER_WAIT_MS} ms for ${leaderless.map((t) => t.name)}`,
        );
      }
    } catch (error) {
      if (!notYetKnown(error)) throw error;
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** kafkajs gives the broker's error type, or wraps it once its retries run out. */
function notYetKnown(error: unknown): boolean {
  const { type, cause } = error as { type?: string; cause?: { type?: string } };
  return NOT_YET_KNOWN.has(type ?? '') || NOT_YET_KNOWN.has(cause?.type ?? '');
}
