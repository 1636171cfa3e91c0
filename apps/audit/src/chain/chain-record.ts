import { createHash, hash } from 'node:crypto';

import { AuditEvent, storableText } from '@app/contracts';

import { canonicalJson } from './canonical-json';

/** prevHash of the first row: there is no previous row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The optional metadata of an event, as the trail stores and hashes it. */
export const OPTIONAL_FIELDS = [
  'messageId',
  'correlationId',
  'subjectRef',
  'messageType',
  'senderNode',
  'senderAgency',
  'recipientMailbox',
  'recipientAgency',
  'decision',
  'ruleId',
  'policyVersion',
  'errorCode',
  'deadline',
  'completeness',
  'payloadDigest',
  'detail',
] as const;

type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/**
 * One row of the trail as auditors see it, exports carry it and its hash covers it: metadata
 * only. Absent optional fields are omitted (never null). Times are UTC ISO 8601 with
 * milliseconds (`2026-11-26T08:30:00.000Z`); UUIDs are lower case.
 */
export interface ChainRecord extends Partial<
  Record<Exclude<OptionalField, 'completeness'>, string>
> {
  seq: number;
  prevHash: string;
  hash: string;
  eventId: string;
  action: string;
  actor: string;
  occurredAt: string;
  appendedAt: string;
  completeness?: number;
  /**
   * The compact JWS the event arrived as, signed by the service that emitted it (issue 12
   * finding 4); absent on rows appended before events were signed.
   */
  signature?: string;
}

export type UnhashedRecord = Omit<ChainRecord, 'hash'>;

/** Every member of the hash input, sorted as RFC 8785 sorts them (all ASCII). */
export const HASHED_KEYS: readonly string[] = [
  'seq',
  'prevHash',
  'eventId',
  'action',
  'actor',
  'occurredAt',
  'appendedAt',
  ...OPTIONAL_FIELDS,
  'signature',
].sort();
const KEY_PREFIXES = HASHED_KEYS.map((key) => `${JSON.stringify(key)}:`);
const SEQ_INDEX = HASHED_KEYS.indexOf('seq');
/** Printable ASCII without `"` and `\\`: JSON writes such a string as it is, between quotes. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * The canonical JSON (RFC 8785) of a record without its hash. Equivalent to
 * `canonicalJson(record)` for this flat shape (a unit test holds them equal), but without the
 * per-row key sort: verification runs it for every row.
 */
export function canonicalRecord(record: UnhashedRecord): string {
  const values = record as unknown as Record<string, string | number | null | undefined>;
  let out = '{';
  for (let i = 0; i < HASHED_KEYS.length; i++) {
    const value = values[HASHED_KEYS[i]];
    if (value === undefined || value === null) continue;
    if (out.length > 1) out += ',';
    out += KEY_PREFIXES[i];
    if (i === SEQ_INDEX) {
      // seq may arrive as the string PostgreSQL gives for bigint; it is encoded as a number.
      out += String(Number(value));
    } else if (typeof value === 'string' && PLAIN_STRING.test(value)) {
      // What JSON.stringify would write anyway, without its cost; it runs for every verified row.
      out += `"${value}"`;
    } else {
      out += JSON.stringify(value);
    }
  }
  return `${out}}`;
}

/** The row hash: SHA-256 of the canonical JSON's UTF-8 bytes, lower-case hex (as sha256sum prints). */
export function recordHash(record: UnhashedRecord): string {
  // crypto.hash: one call instead of a Hash object per row (Node 20.12+).
  return hash('sha256', canonicalRecord(record), 'hex');
}

/** Same as recordHash through the general canonicaliser; for tests and offline tools. */
export function recordHashGeneric(record: UnhashedRecord): string {
  return createHash('sha256')
    .update(canonicalJson({ ...record }), 'utf8')
    .digest('hex');
}

function isoMillis(value: string): string {
  return new Date(value).toISOString();
}

/**
 * The fields of an event as they will read back from PostgreSQL, so that the hash computed at
 * append equals the one recomputed from the row: UUIDs lower case, times in UTC milliseconds,
 * text as a text column keeps it (a NUL or lone surrogate as U+FFFD: PostgreSQL would store a
 * lone surrogate as U+FFFD anyway, and the hash must be over exactly the stored text).
 */
export function normaliseEvent(
  event: AuditEvent,
  appendedAt: Date,
  signature?: string,
): Omit<UnhashedRecord, 'seq' | 'prevHash'> {
  const record: Omit<UnhashedRecord, 'seq' | 'prevHash'> = {
    eventId: event.eventId.toLowerCase(),
    action: event.action,
    actor: storableText(event.actor),
    occurredAt: isoMillis(event.occurredAt),
    appendedAt: appendedAt.toISOString(),
  };
  for (const field of OPTIONAL_FIELDS) {
    const value = event[field];
    if (value === undefined || value === null) continue;
    if (field === 'completeness') record.completeness = value as number;
    else if (field === 'messageId') record.messageId = (value as string).toLowerCase();
    else if (field === 'deadline') record.deadline = isoMillis(value as string);
    else record[field] = storableText(value as string);
  }
  // A compact JWS is base64url and dots only: stored as it came.
  if (signature !== undefined) record.signature = signature;
  return record;
}

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The SELECT list that reads rows in the shape of ChainRecord (nulls still to be dropped). */
export const RECORD_COLUMNS = [
  'seq',
  'prev_hash AS "prevHash"',
  'hash',
  'event_id::text AS "eventId"',
  'action',
  'actor',
  `${iso('occurred_at')} AS "occurredAt"`,
  `${iso('appended_at')} AS "appendedAt"`,
  'message_id::text AS "messageId"',
  'correlation_id AS "correlationId"',
  'subject_ref AS "subjectRef"',
  'message_type AS "messageType"',
  'sender_node AS "senderNode"',
  'sender_agency AS "senderAgency"',
  'recipient_mailbox AS "recipientMailbox"',
  'recipient_agency AS "recipientAgency"',
  'decision',
  'rule_id AS "ruleId"',
  'policy_version AS "policyVersion"',
  'error_code AS "errorCode"',
  `${iso('deadline')} AS "deadline"`,
  'completeness',
  'payload_digest AS "payloadDigest"',
  'detail',
  'signature',
].join(', ');

/** The columns an append writes, in the order of the values appendBatch passes. */
export const INSERT_COLUMNS: [column: string, type: string, field: keyof ChainRecord][] = [
  ['seq', 'bigint', 'seq'],
  ['prev_hash', 'text', 'prevHash'],
  ['hash', 'text', 'hash'],
  ['event_id', 'uuid', 'eventId'],
  ['action', 'text', 'action'],
  ['actor', 'text', 'actor'],
  ['occurred_at', 'timestamptz', 'occurredAt'],
  ['appended_at', 'timestamptz', 'appendedAt'],
  ['message_id', 'uuid', 'messageId'],
  ['correlation_id', 'text', 'correlationId'],
  ['subject_ref', 'text', 'subjectRef'],
  ['message_type', 'text', 'messageType'],
  ['sender_node', 'text', 'senderNode'],
  ['sender_agency', 'text', 'senderAgency'],
  ['recipient_mailbox', 'text', 'recipientMailbox'],
  ['recipient_agency', 'text', 'recipientAgency'],
  ['decision', 'text', 'decision'],
  ['rule_id', 'text', 'ruleId'],
  ['policy_version', 'text', 'policyVersion'],
  ['error_code', 'text', 'errorCode'],
  ['deadline', 'timestamptz', 'deadline'],
  ['completeness', 'smallint', 'completeness'],
  ['payload_digest', 'text', 'payloadDigest'],
  ['detail', 'text', 'detail'],
  ['signature', 'text', 'signature'],
];

/** A row read with RECORD_COLUMNS, as ChainRecord: seq as a number, absent fields omitted. */
export function rowToRecord(row: Record<string, unknown>): ChainRecord {
  const record: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    if (value !== null && value !== undefined) record[key] = value;
  }
  record.seq = Number(row.seq);
  return record as unknown as ChainRecord;
}
