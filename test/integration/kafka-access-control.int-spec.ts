/**
 * Real: the Kafka broker as kafka.sh starts it (SASL/SCRAM-SHA-512, StandardAuthorizer,
 * allow.everyone.if.no.acl.found=false), the principals and ACLs the test preparation created
 * from kafkaAccessRules. Faked: nothing. Each refusal is the broker's own authorization error.
 */
import { randomUUID } from 'node:crypto';

import { deliveryTopic, Topics } from '@app/contracts';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Consumer,
  Kafka,
  KafkaJSError,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';

import { testKafka } from '../support/test-kafka';

/** No retries: a refusal must surface as the first answer, not after the client's backoff. */
const NO_RETRY = { retry: { retries: 0 }, connectionTimeout: 3_000, requestTimeout: 10_000 };

/** The broker's error messages as kafkajs logs them (some it only logs, e.g. FindCoordinator's). */
const brokerErrors: string[] = [];

function kafkaAs(principal: string | null): Kafka {
  return testKafka(`access-${principal ?? 'anonymous'}`, {
    principal,
    overrides: {
      ...NO_RETRY,
      logLevel: logLevel.ERROR,
      logCreator:
        () =>
        ({ log }) => {
          if (typeof log.error === 'string') brokerErrors.push(log.error);
        },
    },
  });
}

/** Values of the records a test's consumer was handed (none, when the broker refuses). */
const received: string[] = [];

/** Runs the consumer until kafkajs gives up on it, and returns why. */
async function crashOf(consumer: Consumer): Promise<Error> {
  const crashed = new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error));
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push(String(message.value));
    },
  });
  return crashed;
}

async function failure(attempt: () => Promise<unknown>): Promise<KafkaJSError & { type?: string }> {
  try {
    await attempt();
  } catch (error) {
    return error as KafkaJSError & { type?: string };
  }
  throw new Error('the broker allowed it');
}

describe('Kafka access control on the real broker', () => {
  const consumers: Consumer[] = [];
  beforeEach(() => {
    brokerErrors.splice(0);
    received.splice(0);
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
  });

  function consumerOf(principal: string, groupId: string): Consumer {
    const consumer = kafkaAs(principal).consumer({
      groupId,
      retry: { retries: 0, restartOnFailure: async () => false },
    });
    consumers.push(consumer);
    return consumer;
  }

  it('gives a client without credentials no metadata and no records', async () => {
    const outsider = kafkaAs(null);
    const admin = outsider.admin();
    const listing = await failure(async () => {
      await admin.connect();
      return admin.listTopics();
    });
    expect(listing.name).toMatch(/KafkaJSConnection(Closed)?Error|KafkaJSNumberOfRetriesExceeded/);
    await admin.disconnect();

    const consumer = outsider.consumer({ groupId: `outsider-${randomUUID()}` });
    consumers.push(consumer);
    const reading = await failure(async () => {
      await consumer.connect();
      await consumer.subscribe({ topic: deliveryTopic('police'), fromBeginning: true });
    });
    expect(reading.name).toMatch(/KafkaJSConnection(Closed)?Error|KafkaJSNumberOfRetriesExceeded/);
  });

  it('refuses a wrong password with the broker’s authentication error', async () => {
    const impostor = testKafka('access-impostor', {
      principal: null,
      overrides: {
        ...NO_RETRY,
        sasl: { mechanism: 'scram-sha-512', username: 'police', password: randomUUID() },
      },
    }).admin();
    const refusal = await failure(() => impostor.connect());
    expect(refusal.name).toBe('KafkaJSSASLAuthenticationError');
    expect(refusal.message).toContain('invalid credentials');
  });

  it('lets the education principal read its own delivery topic in its own group', async () => {
    const consumer = consumerOf('education', `education-adapter-probe-${randomUUID()}`);
    await consumer.connect();
    await expect(
      consumer.subscribe({ topic: deliveryTopic('education'), fromBeginning: true }),
    ).resolves.toBeUndefined();
  });

  it('lets the operator principal (npm run dead-letter) read the dead letters and refuses it the quarantine', async () => {
    const consumer = consumerOf('operator', `operator-probe-${randomUUID()}`);
    await consumer.connect();
    await expect(
      consumer.subscribe({ topic: Topics.deadLetter, fromBeginning: true }),
    ).resolves.toBeUndefined();
    // No ACL of the operator names the quarantine: not even its metadata is visible.
    const refusal = await failure(() =>
      consumer.subscribe({ topic: Topics.quarantine, fromBeginning: true }),
    );
    expect(refusal.type).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses the education principal the police delivery topic', async () => {
    const consumer = consumerOf('education', `education-adapter-probe-${randomUUID()}`);
    await consumer.connect();
    const refusal = await failure(() =>
      consumer.subscribe({ topic: deliveryTopic('police'), fromBeginning: true }),
    );
    expect(refusal.type).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses the education principal reading the audit-events topic it may write', async () => {
    // Writing gives it the topic's metadata, so the refusal comes on the first fetch.
    const consumer = consumerOf('education', `education-adapter-probe-${randomUUID()}`);
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.auditEvents, fromBeginning: true });
    const refusal = await crashOf(consumer);
    expect(refusal.message).toBe('Not authorized to access topics: [Topic authorization failed]');
    expect(received).toEqual([]);
  });

  it('refuses the education principal a place in the police-adapter consumer group', async () => {
    const consumer = consumerOf('education', 'police-adapter');
    await consumer.connect();
    await consumer.subscribe({ topic: deliveryTopic('education'), fromBeginning: true });
    // kafkajs reports "coordinator not found"; the broker's answer to FindCoordinator is logged.
    expect((await crashOf(consumer)).name).toBe('KafkaJSGroupCoordinatorNotFound');
    expect(brokerErrors).toContain('Not authorized to access group: Group authorization failed');
  });

  it('refuses the education principal creating a topic or an ACL', async () => {
    const admin = kafkaAs('education').admin();
    await admin.connect();
    try {
      const topic = await failure(() =>
        admin.createTopics({ topics: [{ topic: `sgx.rogue-${randomUUID()}`, numPartitions: 1 }] }),
      );
      expect(JSON.stringify(topic)).toContain('TOPIC_AUTHORIZATION_FAILED');
      const deletion = await failure(() =>
        admin.deleteTopics({ topics: [deliveryTopic('police')] }),
      );
      expect(JSON.stringify(deletion)).toContain('TOPIC_AUTHORIZATION_FAILED');
      const acl = await failure(() =>
        admin.createAcls({
          acl: [
            {
              resourceType: AclResourceTypes.TOPIC,
              resourceName: deliveryTopic('police'),
              resourcePatternType: ResourcePatternTypes.LITERAL,
              principal: 'User:education',
              host: '*',
              operation: AclOperationTypes.READ,
              permissionType: AclPermissionTypes.ALLOW,
            },
          ],
        }),
      );
      expect(acl.type).toBe('CLUSTER_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses the audit principal writing a delivery topic', async () => {
    const producer = kafkaAs('audit').producer({
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
    });
    await producer.connect();
    try {
      const refusal = await failure(() =>
        producer.send({
          topic: deliveryTopic('education'),
          acks: -1,
          messages: [{ key: 'subject', value: 'forged delivery' }],
        }),
      );
      expect(refusal.message).toBe('Not authorized to access topics: [Topic authorization failed]');
    } finally {
      await producer.disconnect();
    }
  });
});
