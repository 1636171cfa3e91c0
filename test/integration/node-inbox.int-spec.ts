/**
 * Real: the Kafka broker, PostgreSQL, the education adapter's Nest application. The record is
 * published with a plain kafkajs producer, as the hub will publish deliveries.
 */
import { randomUUID } from 'node:crypto';

import { deliveryTopic, newCloudEventAttributes, toKafkaHeaders } from '@app/contracts';
import { encryptTo, generateEncryptionKeyPair } from '@app/crypto';
import { KafkaPublisher } from '@app/messaging';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { eventually, RunningService, startService } from '../support/service-harness';

describe('education adapter inbox', () => {
  let education: RunningService;

  beforeAll(async () => {
    education = await startService(EducationModule);
  });

  afterAll(async () => {
    await education?.app.close();
  });

  it('stores a delivered record once when the broker delivers it twice', async () => {
    const recipient = await generateEncryptionKeyPair();
    const subjectRef = `subj-${randomUUID()}`;
    const jwe = await encryptTo(new TextEncoder().encode('signed view'), recipient.publicJwk);
    const attributes = newCloudEventAttributes({
      type: 'uk.safeguarding.exchange.test-delivery.v1',
      source: 'hub',
      subject: subjectRef,
    });
    const record = { key: subjectRef, value: jwe, headers: toKafkaHeaders(attributes) };
    // A marker behind the two copies on the same partition: once it is stored, both copies were handled.
    const marker = { ...record, headers: toKafkaHeaders({ ...attributes, id: randomUUID() }) };
    const publisher = education.app.get(KafkaPublisher);
    await publisher.publish(deliveryTopic('education'), [record, record, marker]);

    const db = education.app.get(DataSource);
    const rows = await eventually(
      async () => {
        const found = await db.query(
          'SELECT message_id, subject_ref, body FROM inbox_message WHERE subject_ref = $1 ORDER BY received_at',
          [subjectRef],
        );
        return found.length === 2 ? found : undefined;
      },
      { what: 'the record and the marker in the inbox' },
    );
    expect(rows.map((row: { message_id: string }) => row.message_id).sort()).toEqual(
      [attributes.id, JSON.parse(JSON.stringify(marker.headers)).ce_id].sort(),
    );
    expect(rows.find((row: { message_id: string }) => row.message_id === attributes.id)).toEqual({
      message_id: attributes.id,
      subject_ref: subjectRef,
      body: jwe,
    });
  });
});
