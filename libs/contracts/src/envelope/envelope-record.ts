import {
  CloudEventAttributes,
  fromKafkaHeaders,
  toKafkaHeaders,
} from '../cloudevents/cloud-event-headers';
import { ExchangeErrorCode } from '../errors/exchange-error-code';
import { ExchangeError } from '../errors/exchange.error';
import { EnvelopeClaims } from './envelope-claims';

/** Media type of a record value in JOSE compact serialization, JWS or JWE (RFC 7515 §9.2.1). */
export const ENVELOPE_CONTENT_TYPE = 'application/jose';

/** The CloudEvents `type` of an envelope: its message type with the version appended. */
export function envelopeEventType(claims: Pick<EnvelopeClaims, 'type' | 'version'>): string {
  return `${claims.type}.v${claims.version}`;
}

/**
 * A Kafka record carrying an envelope (JWS or JWE) in the CloudEvents Kafka binding: the
 * attributes come from the signed claims and the key is the subjectRef, so one subject's
 * messages stay in order.
 */
export function envelopeKafkaRecord(
  value: string,
  claims: Pick<EnvelopeClaims, 'iss' | 'sub' | 'jti' | 'iat' | 'type' | 'version'>,
): { key: string; value: string; headers: Record<string, string> } {
  return {
    key: claims.sub,
    value,
    headers: toKafkaHeaders({
      id: claims.jti,
      type: envelopeEventType(claims),
      source: claims.iss,
      subject: claims.sub,
      time: new Date(claims.iat * 1000).toISOString(),
      contentType: ENVELOPE_CONTENT_TYPE,
    }),
  };
}

type RawHeaders = Parameters<typeof fromKafkaHeaders>[0];

/**
 * Headers and key are not signed: once the envelope is verified, refuse a record whose
 * CloudEvents attributes or key say something other than its signed claims (RECORD_MISMATCH),
 * so routing and audit never act on an unsigned claim.
 */
export function assertRecordMatchesEnvelope(
  record: { key: string | Buffer | null | undefined; headers: RawHeaders },
  claims: Pick<EnvelopeClaims, 'iss' | 'sub' | 'jti' | 'type' | 'version'>,
): CloudEventAttributes {
  let attributes: CloudEventAttributes;
  try {
    attributes = fromKafkaHeaders(record.headers);
  } catch (error) {
    throw new ExchangeError(ExchangeErrorCode.RECORD_MISMATCH, (error as Error).message);
  }
  const mismatched = [
    attributes.id !== claims.jti && 'ce_id',
    attributes.source !== claims.iss && 'ce_source',
    attributes.subject !== claims.sub && 'ce_subject',
    attributes.type !== envelopeEventType(claims) && 'ce_type',
    record.key?.toString() !== claims.sub && 'key',
  ].filter(Boolean);
  if (mismatched.length > 0) {
    throw new ExchangeError(
      ExchangeErrorCode.RECORD_MISMATCH,
      `record ${mismatched.join(', ')} differ from the signed claims`,
    );
  }
  return attributes;
}
