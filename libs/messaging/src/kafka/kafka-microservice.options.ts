import { KafkaOptions, Transport } from '@nestjs/microservices';
import { Partitioners } from 'kafkajs';

import { kafkaClientConfig, KafkaSettings } from './kafka-settings';

/**
 * Options for the NestJS Kafka transport that runs a service's @EventPattern handlers.
 * Offsets are committed only after a handler resolves; a handler that throws
 * KafkaRetriableException is retried (see RecordProcessor).
 */
export function kafkaMicroserviceOptions(settings: KafkaSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: kafkaClientConfig(settings, 'consumer'),
      // No "-server" suffix: the group id is the service's name, as operators expect to see it.
      postfixId: '',
      consumer: {
        groupId: settings.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        retry: {
          ...kafkaClientConfig(settings, 'consumer').retry,
          restartOnFailure: async () => true,
        },
      },
      // The transport's own producer is unused (no request-reply); pin its partitioner anyway.
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      subscribe: { fromBeginning: true },
      run: {
        // Chosen on purpose: partitions are keyed by subject, so concurrency across partitions
        // keeps one subject's records in order while using both cores' worth of I/O wait.
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      },
    },
  };
}
