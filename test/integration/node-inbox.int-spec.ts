/**
 * Real: the Kafka broker, PostgreSQL, the education adapter's Nest application. The record is
 * published with the service's own producer. Storing once and redelivery are covered end to end
 * in test/e2e/domestic-abuse-journey.e2e-spec.ts, with records the hub really sealed; threads
 * (a missing episode's reports) in test/e2e/missing-episode.e2e-spec.ts, in order — here, out of
 * order, with rows stored through the inbox service in its own transactions.
 */
import { randomUUID } from 'node:crypto';

import { deliveryTopic, newCloudEventAttributes, toKafkaHeaders, Topics } from '@app/contracts';
import { encryptTo, generateEncryptionKeyPair } from '@app/crypto';
import { InboxService } from '@app/node';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { MailboxReads } from '../../libs/node/src/mailbox/mailbox-reads.service';
import { publishAsTest } from '../support/test-kafka';
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
      await publishAsTest(deliveryTopic('education'), [
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

  it('shows one item per thread: the highest report, even when an earlier one arrives after it', async () => {
    const inbox = education.app.get(InboxService);
    const db = education.app.get(DataSource);
    const mailboxId = `box-${randomUUID().slice(0, 8)}`;
    const thread = `missing-episode:${randomUUID()}`;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // Reports 1, 3 and 2 of one episode arrive in that order.
    for (const [id, sequence] of [
      [ids[0], 1],
      [ids[2], 3],
      [ids[1], 2],
    ] as const) {
      await db.transaction(async (manager) => {
        await inbox.storeOnce(
          {
            messageId: id,
            type: 'uk.safeguarding.exchange.missing-episode-view',
            source: 'hub',
            subjectRef: 'subject',
            body: 'a.b.c.d.e',
            kafkaTopic: deliveryTopic('education'),
            kafkaPartition: 0,
            kafkaOffset: '0',
            mailboxId,
            status: 'received',
            dueAt: null,
            threadKey: thread,
            threadSequence: sequence,
          },
          manager,
        );
        await inbox.placeInThread(manager, id, mailboxId, { key: thread, sequence });
      });
    }
    const items = await education.app.get(MailboxReads, { strict: false }).list(mailboxId);
    expect(items).toEqual([
      expect.objectContaining({ messageId: ids[2], updated: true, reports: 3, supersededBy: null }),
    ]);
    const rows: { message_id: string; superseded_by: string | null }[] = await db.query(
      'SELECT message_id, superseded_by FROM inbox_message WHERE mailbox_id = $1',
      [mailboxId],
    );
    expect(Object.fromEntries(rows.map((row) => [row.message_id, row.superseded_by]))).toEqual({
      [ids[0]]: ids[2],
      [ids[1]]: ids[2],
      [ids[2]]: null,
    });
    await db.query('DELETE FROM inbox_message WHERE mailbox_id = $1', [mailboxId]);
  });
});
