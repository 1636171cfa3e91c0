/**
 * Issue 12 finding 5: a refusal of a record never changes the state of a message id the exchange
 * already accepted, and the sender can tell "your message was refused" from "a copy of your
 * message was refused". Real: the Kafka broker, PostgreSQL, the hub, the police and social care
 * nodes (PoliceExchange). The copies are the police node's own record taken off the submissions
 * topic (as anyone with read access could) and published again.
 */
import { randomUUID } from 'node:crypto';

import { ExchangeErrorCode, Topics } from '@app/contracts';
import { KafkaMessage } from 'kafkajs';

import { PoliceExchange } from '../support/police-exchange';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually } from '../support/service-harness';

jest.setTimeout(180_000);

describe('issue 12 finding 5: a refused copy never rewrites an accepted message', () => {
  const exchange = new PoliceExchange();
  const submissions = new RawTopicReader(Topics.submissions);
  const quarantine = new RawTopicReader(Topics.quarantine);

  beforeAll(async () => {
    await exchange.start();
    await Promise.all([submissions, quarantine].map((reader) => reader.start()));
  });

  afterAll(async () => {
    await Promise.all([submissions, quarantine].map((reader) => reader.stop()));
    await exchange.stop();
  });

  /** A record as it was on the topic, ready to publish again (headers as strings). */
  const asPublished = (record: KafkaMessage) => ({
    key: record.key!.toString(),
    value: record.value!.toString(),
    headers: Object.fromEntries(
      Object.entries(record.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
  });

  const untilRefusedCopies = (incidentId: string, count: number) =>
    exchange.untilStatus(
      incidentId,
      (current) =>
        (current as unknown as { refusedCopies: unknown[] }).refusedCopies.length >= count,
      `${count} refused copies at the police`,
    );

  it('finding 5: a re-headered copy and a re-signed replay of a delivered notification are refused as copies; its status stays', async () => {
    const submitted = await exchange.submit(exchange.notification());
    const [{ messageId }] = submitted.notifications;
    const before = await exchange.untilStatus(
      submitted.incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the notification delivered to the MASH',
    );
    const original = await eventually(
      async () => submissions.find((record) => record.headers?.ce_id?.toString() === messageId),
      { what: 'the police record on the submissions topic' },
    );

    // The same record with one CloudEvents header changed (RECORD_MISMATCH) ...
    const copy = asPublished(original);
    await exchange.publish([{ ...copy, headers: { ...copy.headers, ce_subject: randomUUID() } }]);
    // ... the identical record again (a duplicate: nothing happens, nothing is refused) ...
    await exchange.publish([copy]);
    // ... and another body signed under the same message id (REPLAYED).
    const replay = await exchange.seal(
      exchange.notification(),
      messageId,
      original.key!.toString(),
    );
    await exchange.publish([replay.record]);

    const after = (await untilRefusedCopies(submitted.incidentId, 2)) as unknown as {
      status: string;
      rejection?: unknown;
      recipients: { mailboxId: string; status: string }[];
      refusedCopies: { code: string; reason: string; at: string }[];
    };
    expect(after.refusedCopies.map((refused) => refused.code).sort()).toEqual(
      [ExchangeErrorCode.RECORD_MISMATCH, ExchangeErrorCode.REPLAYED].sort(),
    );
    // The notification's own standing is exactly what it was: status, rejection, every recipient.
    const { refusedCopies: _after, ...standingAfter } = after;
    const { refusedCopies: _before, ...standingBefore } = before as unknown as typeof after;
    expect(_before).toEqual([]);
    expect(standingAfter).toEqual(standingBefore);
    expect(after.recipients.find((r) => r.mailboxId === 'mash')!.status).toBe('delivered');
    // Both copies are in quarantine with their codes.
    const codes = quarantine.records
      .filter((record) => record.headers?.ce_id?.toString() === messageId)
      .map((record) => record.headers?.sgx_refusal_code?.toString());
    expect(codes.sort()).toEqual(
      [ExchangeErrorCode.RECORD_MISMATCH, ExchangeErrorCode.REPLAYED].sort(),
    );
  });

  it('finding 5: a copy refused before any other decision on the message id still rejects the message itself', async () => {
    // A message the hub never accepted: the refusal is of the message, and says so.
    const subjectRef = randomUUID();
    const jti = randomUUID();
    const incidentId = await exchange.recordIncident(jti, subjectRef);
    const sealed = await exchange.seal(exchange.notification(), jti, subjectRef);
    await exchange.publish([
      {
        ...sealed.record,
        headers: { ...sealed.record.headers, ce_subject: randomUUID() },
      },
    ]);
    const status = await exchange.untilStatus(
      incidentId,
      (current) => current.status === 'rejected',
      'the message itself rejected',
    );
    expect(status.rejection).toMatchObject({ code: ExchangeErrorCode.RECORD_MISMATCH });
    expect((status as unknown as { refusedCopies: unknown[] }).refusedCopies).toEqual([]);
  });
});
