import { KafkaSettings } from '@app/messaging';
import { Kafka } from 'kafkajs';

import { TEST_BROKERS } from './service-harness';

/**
 * The one place tests make a plain kafkajs client (an outside reader, an admin, a stand-in
 * producer), so the broker's connection settings are given to every such client alike.
 */
export function testKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: TEST_BROKERS, logLevel: 1 });
}

/** Settings for a test's own KafkaPublisher, connected as the tests' clients are. */
export function testKafkaSettings(groupId: string): KafkaSettings {
  return { brokers: TEST_BROKERS, groupId, partitionsConsumedConcurrently: 1 };
}
