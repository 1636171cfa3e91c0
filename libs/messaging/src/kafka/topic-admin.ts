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
 * Creates the topics that do not exist yet, with explicit partitions and configs. An existing
 * topic with fewer partitions than its spec is an error: adding partitions moves keys, so an
 * operator must decide it.
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
      waitForLeaders: true,
      topics: missing.map((spec) => ({ ...spec, replicationFactor })),
    });
  }
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
