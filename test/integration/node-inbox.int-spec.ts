/**
 * Real: the Kafka broker, PostgreSQL, the education adapter's Nest application. The record is
 * published with the service's own producer. Storing once and redelivery are covered end to end
 * in test/e2e/domestic-abuse-journey.e2e-spec.ts, with records the hub really sealed.
 */
import { randomUUID } from 'node:crypto';

import { deliveryTopic, newCloudEventAttributes, toKafkaHeaders, Topics } from '@app/contracts';
import { encryptTo, generateEncryptionKeyPair } from '@app/crypto';
import { KafkaPublisher } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually, RunningService, startService } from '../support/service-harness';

describe('education adapter inbox', () => {
  let education: RunningService;

  beforeAll(async () => {
    education = await startService(EducationModule);
  });

  afterAll(async () => {
    await education?.app.close();
  });

  it('dead-letters a record it cannot decrypt and stores nothing', async () => {
    // Encrypted to a key this node does not hold: NOT_ADDRESSED_TO_NODE, never retried.
    const stranger = await generateEncryptionKeyPair();
    const subjectRef = `subj-${randomUUID()}`;
    const jwe = await encryptTo(new TextEncoder().encode('signed view'), stranger.publicJwk);
    const attributes = newCloudEventAttributes({
      type: 'uk.safeguarding.exchange.test-delivery.v1',
      source: 'hub',
      subject: subjectRef,
    });
    const deadLetters = new RawTopicReader(Topics.deadLetter);
    await deadLetters.start();
    try {
      await education.app
        .get(KafkaPublisher)
        .publish(deliveryTopic('education'), [
          { key: subjectRef, value: jwe, headers: toKafkaHeaders(attributes) },
        ]);
      const dead = await eventually(
        async () => deadLetters.find((r) => r.headers?.ce_id?.toString() === attributes.id),
        { what: 'the record on the dead-letter topic' },
      );
      expect(dead.headers?.sgx_dead_letter_reason?.toString()).toContain('NOT_ADDRESSED_TO_NODE');
      const rows = await education.app
        .get(DataSource)
        .query('SELECT 1 FROM inbox_message WHERE message_id = $1', [attributes.id]);
      expect(rows).toHaveLength(0);
    } finally {
      await deadLetters.stop();
    }
  });
});
