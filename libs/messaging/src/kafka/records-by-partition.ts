import { Partitioners, PartitionMetadata } from 'kafkajs';

/**
 * The records of one publish grouped by the partition the producer's own partitioner (the Java
 * client's murmur2 of the key) puts each in, in their order within each partition, so that each
 * group can be sent on its own (KafkaPublisher says why).
 */
export function recordsByPartition<R extends { key: string }>(
  topic: string,
  partitionMetadata: PartitionMetadata[],
  records: R[],
): Map<number, R[]> {
  const partitionOf = Partitioners.DefaultPartitioner();
  const groups = new Map<number, R[]>();
  for (const record of records) {
    const partition = partitionOf({
      topic,
      partitionMetadata,
      message: { key: record.key, value: null },
    });
    groups.set(partition, [...(groups.get(partition) ?? []), record]);
  }
  return groups;
}
