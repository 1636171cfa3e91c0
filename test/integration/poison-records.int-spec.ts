/**
 * Finding 1 of issue 12 (and the last sentence of finding 2): a record that fails the same way
 * every time is refused at once — quarantined with its code, a signed rejection to its sender,
 * audited — and never holds its partition; the sender's status says `rejected` with the reason.
 * Real: the Kafka broker, PostgreSQL, the hub, the police and social care nodes (PoliceExchange).
 * The poisoned records are signed with the police node's real key and published straight to the
 * submissions topic, as a node whose own checks missed them (or anyone holding its key) would.
 */
import { randomUUID } from 'node:crypto';

import { deliveryTopic, ExchangeErrorCode, Topics } from '@app/contracts';
import { payloadDigest } from '@app/crypto';

import { auditEventOf } from '../support/audit-signing';
import { PoliceExchange } from '../support/police-exchange';
import { RawTopicReader } from '../support/raw-topic-reader';
import { eventually } from '../support/service-harness';

jest.setTimeout(180_000);

describe('issue 12 finding 1: a record that can never be handled is refused at once', () => {
  const exchange = new PoliceExchange();
  const quarantine = new RawTopicReader(Topics.quarantine);
  const deadLetter = new RawTopicReader(Topics.deadLetter);
  const audit = new RawTopicReader(Topics.auditEvents);

  beforeAll(async () => {
    await exchange.start();
    await Promise.all([quarantine, deadLetter, audit].map((reader) => reader.start()));
  });

  afterAll(async () => {
    await Promise.all([quarantine, deadLetter, audit].map((reader) => reader.stop()));
    await exchange.stop();
  });

  const quarantinedWith = (messageId: string) =>
    eventually(
      async () =>
        quarantine
          .find((record) => record.headers?.ce_id?.toString() === messageId)
          ?.headers?.sgx_refusal_code?.toString(),
      { what: `message ${messageId} in quarantine` },
    );

  /** The hub's `rejected` event for a signed envelope, found by the envelope's digest. */
  const rejectedAudit = (jws: string) =>
    eventually(
      async () =>
        audit.records
          .map((record) => auditEventOf(record.value))
          .find(
            (event) =>
              event.action === 'rejected' &&
              event.actor === 'hub' &&
              event.payloadDigest === payloadDigest(jws),
          ),
      { what: `the hub's rejected event` },
    );

  /** Waits until an ordinary incident's notification reached the MASH. */
  const deliveredToMash = (incidentId: string) =>
    exchange.untilStatus(
      incidentId,
      (current) =>
        current.recipients.some((r) => r.mailboxId === 'mash' && r.status === 'delivered'),
      'the ordinary incident behind it delivered to the MASH',
    );

  /**
   * Publishes the poisoned body as a police submission with an ordinary incident for the same
   * subject right behind it (same key, so the same partition), and returns both.
   */
  async function poisonThenOrdinary(poisoned: object) {
    const subjectRef = randomUUID();
    const jti = randomUUID();
    const incidentId = await exchange.recordIncident(jti, subjectRef);
    const sealed = await exchange.seal(poisoned, jti, subjectRef);
    await exchange.publish([sealed.record]);
    const ordinary = await exchange.submit({
      ...exchange.notification(),
      child: { ...exchange.notification().child, subjectRef },
    } as never);
    return { jti, jws: sealed.jws, incidentId, ordinary };
  }

  async function expectRefusedAtOnce(poisoned: object, code: ExchangeErrorCode) {
    const { jti, jws, incidentId, ordinary } = await poisonThenOrdinary(poisoned);

    // The sender's status says rejected, with the code and a reason naming no value.
    const status = await exchange.untilStatus(
      incidentId,
      (current) => current.status === 'rejected',
      'the poisoned notification rejected at the police',
    );
    expect(status.rejection).toMatchObject({ code, reason: expect.any(String) });
    expect(await quarantinedWith(jti)).toBe(code);
    expect(await rejectedAudit(jws)).toMatchObject({ errorCode: code, senderNode: 'police' });

    // The ordinary incident behind it on the same partition is routed and delivered to the MASH.
    const delivered = await deliveredToMash(ordinary.incidentId);
    expect(delivered.status).not.toBe('submitted');
    // Refused, never dead-lettered after retries.
    expect(deadLetter.find((record) => record.headers?.ce_id?.toString() === jti)).toBeUndefined();
    return status;
  }

  it('finding 1: a NUL byte in a signed submission is refused as UNSTORABLE_TEXT and the incident behind it is delivered', async () => {
    const body = exchange.notification({ location: 'Flat 3\u0000, Example Road' });
    const status = await expectRefusedAtOnce(body, ExchangeErrorCode.UNSTORABLE_TEXT);
    expect(status.rejection!.reason).toContain('location');
    expect(status.rejection!.reason).not.toContain('Example Road');
  });

  it('finding 1: a lone UTF-16 surrogate in a signed submission is refused as UNSTORABLE_TEXT and the incident behind it is delivered', async () => {
    const body = exchange.notification({}, { voiceOfChild: 'I was scared \uD800 upstairs' });
    const status = await expectRefusedAtOnce(body, ExchangeErrorCode.UNSTORABLE_TEXT);
    expect(status.rejection!.reason).toContain('child.voiceOfChild');
  });

  it('finding 1: NUL bytes in the unsigned record headers are quarantined, never retried, and the incident behind it is delivered', async () => {
    const subjectRef = randomUUID();
    const jti = randomUUID();
    const sealed = await exchange.seal(exchange.notification(), jti, subjectRef);
    await exchange.publish([
      {
        ...sealed.record,
        headers: { ...sealed.record.headers, ce_type: 'x\u0000y', 'evil\u0000': '\uDC00' },
      },
    ]);
    expect(await quarantinedWith(jti)).toBe(ExchangeErrorCode.RECORD_MISMATCH);
    const ordinary = await exchange.submit({
      ...exchange.notification(),
      child: { ...exchange.notification().child, subjectRef },
    } as never);
    await deliveredToMash(ordinary.incidentId);
    expect(deadLetter.find((record) => record.headers?.ce_id?.toString() === jti)).toBeUndefined();
  });

  it('finding 1 and 2: a date the hub cannot use (an ISO week date) is refused at once and the sender sees rejected with the reason', async () => {
    const { jti, incidentId, ordinary } = await poisonThenOrdinary(
      exchange.notification({ occurredAt: '2026-W01-1' }),
    );
    const status = await exchange.untilStatus(
      incidentId,
      (current) => current.status === 'rejected',
      'the week-dated notification rejected at the police',
    );
    // The contract may refuse it (SCHEMA_INVALID) or the handler's own date check may
    // (UNPROCESSABLE, `Invalid time value`): either way at once, with the code and a reason.
    expect([ExchangeErrorCode.SCHEMA_INVALID, ExchangeErrorCode.UNPROCESSABLE]).toContain(
      status.rejection!.code,
    );
    expect(status.rejection!.reason).toEqual(expect.any(String));
    expect(await quarantinedWith(jti)).toBe(status.rejection!.code);
    await deliveredToMash(ordinary.incidentId);
    expect(deadLetter.find((record) => record.headers?.ce_id?.toString() === jti)).toBeUndefined();
  });

  it('finding 7: a record claiming to come from the hub is quarantined and no answer is addressed to a node the registry lacks', async () => {
    const jti = randomUUID();
    const sealed = await exchange.seal(exchange.notification(), jti);
    const unknownNode = `ghost-${randomUUID().slice(0, 8)}`;
    const otherJti = randomUUID();
    const other = await exchange.seal(exchange.notification(), otherJti);
    await exchange.publish([
      {
        ...sealed.record,
        value: `not a JWE ${randomUUID()}`,
        headers: { ...sealed.record.headers, ce_source: 'hub' },
      },
      {
        ...other.record,
        value: `not a JWE ${randomUUID()}`,
        headers: { ...other.record.headers, ce_source: unknownNode },
      },
    ]);
    const code = await quarantinedWith(jti);
    expect(code).toEqual(expect.stringMatching(/^(NOT_ENCRYPTED|MALFORMED)$/));
    expect(await quarantinedWith(otherJti)).toBe(code);
    const rows = (await exchange.hubDb.query(
      `SELECT count(*)::int AS n FROM outbox WHERE topic = ANY($1)`,
      [[deliveryTopic('hub'), deliveryTopic(unknownNode)]],
    )) as { n: number }[];
    expect(rows[0].n).toBe(0);
  });
});
