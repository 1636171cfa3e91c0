import {
  kafkaClientConfig,
  kafkaSecurityConfig,
  KAFKA_ADMIN_PRINCIPAL,
  KafkaPublisher,
  KafkaSecurity,
  KafkaSettings,
  OutgoingRecord,
} from '@app/messaging';
import { kafkaPasswordFile } from '@app/platform';
import { readFileSync } from 'node:fs';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  KafkaConfig,
  ResourcePatternTypes,
} from 'kafkajs';

import { TEST_BROKERS } from './service-harness';

/** Where `kafka.sh start` and the test preparation (`npm run setup`) put the principals' passwords. */
const CREDENTIALS_DIR = process.env.KAFKA_CREDENTIALS_DIR || '.keys/kafka';

/**
 * The SCRAM credentials of a principal the test preparation registered: by default the admin
 * (a super user: tests read and write any topic as an outside observer); a service principal
 * (`education`, `audit` …) to see what its ACLs allow.
 */
export function testKafkaSecurity(principal: string = KAFKA_ADMIN_PRINCIPAL): KafkaSecurity {
  const password = readFileSync(kafkaPasswordFile(CREDENTIALS_DIR, principal), 'utf8').trim();
  return { sasl: { mechanism: 'scram-sha-512', username: principal, password } };
}

export interface TestKafkaOptions {
  /** The principal to log in as; `null`: no credentials at all, as an outsider. */
  principal?: string | null;
  /** kafkajs settings that differ from the defaults (retries, timeouts). */
  overrides?: Partial<KafkaConfig>;
}

/**
 * The one place tests make a plain kafkajs client (an outside reader, an admin, a stand-in
 * producer), so the broker's connection settings are given to every such client alike.
 */
export function testKafka(clientId: string, options: TestKafkaOptions = {}): Kafka {
  const { principal = KAFKA_ADMIN_PRINCIPAL, overrides = {} } = options;
  const security = principal === null ? {} : kafkaSecurityConfig(testKafkaSecurity(principal));
  return new Kafka({ clientId, brokers: TEST_BROKERS, logLevel: 1, ...security, ...overrides });
}

/** Settings for a test's own KafkaPublisher, connected as the tests' clients are. */
export function testKafkaSettings(groupId: string, principal?: string): KafkaSettings {
  return {
    brokers: TEST_BROKERS,
    groupId,
    partitionsConsumedConcurrently: 1,
    security: testKafkaSecurity(principal),
  };
}

/** A kafkajs configuration as a service of that principal would use it (same retries, timeouts). */
export function testServiceKafkaConfig(principal: string, clientId: string): KafkaConfig {
  return kafkaClientConfig(testKafkaSettings(clientId, principal), 'test');
}

/**
 * Publishes records as the test itself (the admin principal), e.g. to redeliver a record the way
 * the broker would: a service's own principal may not write the topics it reads.
 */
export async function publishAsTest(topic: string, records: OutgoingRecord[]): Promise<void> {
  const publisher = new KafkaPublisher(testKafkaSettings('test-publisher'));
  try {
    await publisher.publish(topic, records);
  } finally {
    await publisher.onApplicationShutdown();
  }
}

/**
 * WRITE on test-only topics for a service's principal, which the access table grants only the
 * exchange's own topics: for `admin.createAcls({ acl })` and, afterwards, `deleteAcls({ filters })`.
 */
export function topicWriteGrants(principal: string, topics: string[]) {
  return topics.map((topic) => ({
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${principal}`,
    host: '*',
    operation: AclOperationTypes.WRITE,
    permissionType: AclPermissionTypes.ALLOW,
  }));
}
