import { ExchangeError } from '../errors/exchange.error';
import { assertRecordMatchesEnvelope, envelopeKafkaRecord } from './envelope-record';

const claims = {
  iss: 'police',
  sub: 'subj-42',
  jti: '3f0c6d1e-7d52-4c1e-9d0e-1b8f6a0f2a11',
  iat: 1_900_000_000,
  type: 'uk.safeguarding.exchange.test-notice',
  version: 1,
};

/** As kafkajs delivers them: header values and key as Buffers. */
function delivered(record: ReturnType<typeof envelopeKafkaRecord>) {
  return {
    key: Buffer.from(record.key),
    headers: Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
    ),
  };
}

describe('envelope Kafka records', () => {
  it('keys the record by subjectRef and carries the claims as CloudEvents headers', () => {
    const record = envelopeKafkaRecord('a.b.c', claims);
    expect(record).toEqual({
      key: 'subj-42',
      value: 'a.b.c',
      headers: {
        ce_specversion: '1.0',
        ce_id: claims.jti,
        ce_type: 'uk.safeguarding.exchange.test-notice.v1',
        ce_source: 'police',
        ce_subject: 'subj-42',
        ce_time: new Date(claims.iat * 1000).toISOString(),
        'content-type': 'application/jose',
      },
    });
    expect(assertRecordMatchesEnvelope(delivered(record), claims).id).toBe(claims.jti);
  });

  it('refuses headers or a key that differ from the signed claims: RECORD_MISMATCH', () => {
    const record = delivered(envelopeKafkaRecord('a.b.c', claims));
    const spoofed = { ...record, headers: { ...record.headers, ce_source: Buffer.from('health') } };
    expect(() => assertRecordMatchesEnvelope(spoofed, claims)).toThrow(
      expect.objectContaining({
        code: 'RECORD_MISMATCH',
        message: expect.stringContaining('ce_source'),
      }),
    );
    expect(() =>
      assertRecordMatchesEnvelope({ ...record, key: Buffer.from('subj-other') }, claims),
    ).toThrow(ExchangeError);
    const withoutId = { ...record.headers };
    delete withoutId.ce_id;
    expect(() => assertRecordMatchesEnvelope({ ...record, headers: withoutId }, claims)).toThrow(
      expect.objectContaining({ code: 'RECORD_MISMATCH' }),
    );
  });
});
