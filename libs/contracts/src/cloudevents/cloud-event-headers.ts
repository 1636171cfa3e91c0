import { randomUUID } from 'node:crypto';

/** CloudEvents Kafka protocol binding, binary content mode: attributes travel as `ce_` headers. */
export const CloudEventHeader = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  subject: 'ce_subject',
  time: 'ce_time',
  contentType: 'content-type',
  traceparent: 'traceparent',
} as const;

export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  contentType?: string;
  traceparent?: string;
}

export function newCloudEventAttributes(
  attrs: Omit<CloudEventAttributes, 'id' | 'time'> &
    Partial<Pick<CloudEventAttributes, 'id' | 'time'>>,
): CloudEventAttributes {
  return { id: attrs.id ?? randomUUID(), time: attrs.time ?? new Date().toISOString(), ...attrs };
}

export function toKafkaHeaders(attrs: CloudEventAttributes): Record<string, string> {
  const headers: Record<string, string> = {
    [CloudEventHeader.specversion]: '1.0',
    [CloudEventHeader.id]: attrs.id,
    [CloudEventHeader.type]: attrs.type,
    [CloudEventHeader.source]: attrs.source,
    [CloudEventHeader.time]: attrs.time,
  };
  if (attrs.subject) headers[CloudEventHeader.subject] = attrs.subject;
  if (attrs.contentType) headers[CloudEventHeader.contentType] = attrs.contentType;
  if (attrs.traceparent) headers[CloudEventHeader.traceparent] = attrs.traceparent;
  return headers;
}

type RawHeaders = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

function headerString(headers: RawHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Every message id of the exchange is an envelope's `jti`, a UUID. */
const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the CloudEvents attributes of a consumed record; throws naming the first missing one, or
 * an id that cannot be a message id (before any store looks it up).
 */
export function fromKafkaHeaders(headers: RawHeaders): CloudEventAttributes {
  const required = ['id', 'type', 'source', 'time'] as const;
  const read = (key: keyof typeof CloudEventHeader) => headerString(headers, CloudEventHeader[key]);
  for (const key of required) {
    if (!read(key)) throw new Error(`missing CloudEvents header ${CloudEventHeader[key]}`);
  }
  if (!MESSAGE_ID.test(read('id')!)) {
    throw new Error(`CloudEvents header ${CloudEventHeader.id} must be a UUID (a message id)`);
  }
  return {
    id: read('id')!,
    type: read('type')!,
    source: read('source')!,
    time: read('time')!,
    subject: read('subject'),
    contentType: read('contentType'),
    traceparent: read('traceparent'),
  };
}
