import { KafkaContext } from '@nestjs/microservices';

/** A consumed record as the hub's use cases take it: strings only. */
export interface IncomingRecord {
  value: string;
  key: string;
  headers: Record<string, string>;
  rawHeaders: Record<string, Buffer | string | undefined>;
  topic: string;
}

export function incomingRecord(context: KafkaContext): IncomingRecord {
  const message = context.getMessage();
  const rawHeaders = (message.headers ?? {}) as Record<string, Buffer | string | undefined>;
  const value = message.value as unknown;
  return {
    // Nest's parser hands a non-JSON value (a JWS) over as a string.
    value: typeof value === 'string' ? value : JSON.stringify(value ?? null),
    key: message.key?.toString() ?? '',
    headers: Object.fromEntries(
      Object.entries(rawHeaders)
        .filter(([, header]) => header !== undefined)
        .map(([name, header]) => [name, String(header)]),
    ),
    rawHeaders,
    topic: context.getTopic(),
  };
}

/**
 * The claims a JWS says it has, unverified: only to address a rejection to its claimed sender
 * and name the message; never trusted for anything else.
 */
export function claimedClaims(jws: string): {
  iss?: string;
  jti?: string;
  sub?: string;
  type?: string;
} {
  try {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : undefined);
    return {
      iss: text(payload.iss),
      jti: text(payload.jti),
      sub: text(payload.sub),
      type: text(payload.type),
    };
  } catch {
    return {};
  }
}

/**
 * What a record's unsigned CloudEvents headers claim (sender and message id), for a record that
 * could not be opened: only to address the rejection, never trusted for anything else.
 */
export function claimedFromHeaders(record: IncomingRecord): {
  iss?: string;
  jti?: string;
  sub?: string;
} {
  const text = (value: string | undefined) => value?.slice(0, 200);
  return {
    iss: text(record.headers.ce_source),
    jti: text(record.headers.ce_id),
    sub: text(record.headers.ce_subject),
  };
}
