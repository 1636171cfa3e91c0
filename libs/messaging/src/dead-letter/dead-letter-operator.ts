/**
 * Dead letters for operators, written once: `npm run dead-letter` (scripts/dead-letter.ts) and
 * the hub's administrator endpoints (the console's re-drive button) both list and re-drive with
 * these functions, as the operator principal. A record's value is never returned or printed:
 * ids, topics, codes, reasons and times only.
 */
import { randomUUID } from 'node:crypto';

import { AuditEvent, Topics } from '@app/contracts';
import { IHeaders, Kafka, KafkaMessage, logLevel } from 'kafkajs';

import { KAFKA_OPERATOR_PRINCIPAL } from '../access/kafka-access-table';
import { KafkaPublisher } from '../kafka/kafka-publisher.service';
import { kafkaClientConfig, KafkaSettings } from '../kafka/kafka-settings';
import { DeadLetterHeader } from '../records/record-processor.service';

/** Headers the replayed copy carries, so a second dead-lettering shows where it came from. */
export const ReplayHeader = {
  from: 'sgx_replayed_from',
  at: 'sgx_replayed_at',
} as const;

export interface DeadLetter {
  partition: number;
  offset: string;
  time: string;
  code: string;
  /** Why it was set aside, as the consumer that did so said it (names no one). */
  reason: string;
  sourceTopic: string;
  messageId: string;
  type: string;
  /** `<dead-letter topic>/<partition>@<offset>` when this record is itself a replay. */
  replayOf: string;
  message: KafkaMessage;
}

export interface DeadLetterFilters {
  code?: string;
  sourceTopic?: string;
  messageId?: string;
  /** `<partition>:<offset>` on the dead-letter topic. */
  record?: string;
}

const text = (headers: IHeaders | undefined, name: string): string => {
  const value = headers?.[name];
  return value === undefined ? '' : String(Array.isArray(value) ? value[0] : value);
};

function deadLetterOf(partition: number, message: KafkaMessage): DeadLetter {
  const headers = message.headers;
  return {
    partition,
    offset: message.offset,
    time: new Date(Number(message.timestamp)).toISOString(),
    code: text(headers, DeadLetterHeader.code),
    reason: text(headers, DeadLetterHeader.reason).slice(0, 500),
    sourceTopic: text(headers, DeadLetterHeader.sourceTopic),
    messageId: text(headers, 'ce_id'),
    type: text(headers, 'ce_type'),
    replayOf: text(headers, ReplayHeader.from),
    message,
  };
}

export function deadLetterMatches(letter: DeadLetter, filters: DeadLetterFilters): boolean {
  return (
    (!filters.code || letter.code === filters.code) &&
    (!filters.sourceTopic || letter.sourceTopic === filters.sourceTopic) &&
    (!filters.messageId || letter.messageId === filters.messageId) &&
    (!filters.record || `${letter.partition}:${letter.offset}` === filters.record)
  );
}

/**
 * Every record on the dead-letter topic up to its end now, read in a throw-away group of the
 * operator's that commits nothing (the topic is read from its start each time).
 */
export async function readDeadLetters(settings: KafkaSettings): Promise<DeadLetter[]> {
  const kafka = new Kafka({
    ...kafkaClientConfig(settings, 'dead-letter-command'),
    logLevel: logLevel.ERROR,
  });
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    ends = await admin.fetchTopicOffsets(Topics.deadLetter);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(
    ends
      .filter(({ high, low }) => BigInt(high) > BigInt(low))
      .map(({ partition, high }) => [partition, BigInt(high)]),
  );
  const letters: DeadLetter[] = [];
  if (pending.size === 0) return letters;

  const consumer = kafka.consumer({
    groupId: `${KAFKA_OPERATOR_PRINCIPAL}-dead-letter-${randomUUID()}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: Topics.deadLetter, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the dead-letter topic was not read to its end within 60 s')),
        60_000,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined) return;
            letters.push(deadLetterOf(partition, message));
            if (BigInt(message.offset) + 1n >= end) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return letters.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}

/** The record as it was on its source topic: the dead-letter headers dropped, the replay named. */
function replayed(letter: DeadLetter, now: Date) {
  const deadLetterHeaders = new Set<string>(Object.values(DeadLetterHeader));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(letter.message.headers ?? {})) {
    if (value === undefined || deadLetterHeaders.has(name)) continue;
    if (name === ReplayHeader.from || name === ReplayHeader.at) continue;
    headers[name] = String(Array.isArray(value) ? value[0] : value);
  }
  headers[ReplayHeader.from] = `${Topics.deadLetter}/${letter.partition}@${letter.offset}`;
  headers[ReplayHeader.at] = now.toISOString();
  return {
    key: letter.message.key?.toString() ?? '',
    value: letter.message.value ?? Buffer.alloc(0),
    headers,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The node whose key signs an operator's replay event: the audit service appends it as the hub's. */
export const DEAD_LETTER_REPLAY_ACTOR = 'hub';

function replayEvent(letter: DeadLetter, operator: string, now: Date): AuditEvent {
  return {
    eventId: randomUUID(),
    action: 'dead-letter-replayed',
    // Signed as the hub (its key), as the keys command signs: the audit service appends only
    // events signed by the node they name as actor. `detail` names the operator.
    actor: DEAD_LETTER_REPLAY_ACTOR,
    occurredAt: now.toISOString(),
    ...(UUID.test(letter.messageId) ? { messageId: letter.messageId } : {}),
    ...(letter.code ? { errorCode: letter.code } : {}),
    // Who ran it (the machine's user, or the signed-in administrator) and which record.
    detail:
      `by ${operator}: ${Topics.deadLetter}/${letter.partition}@${letter.offset} to ${letter.sourceTopic}`.slice(
        0,
        500,
      ),
  };
}

/** The consumed topics a dead letter may be re-driven to (the operator's ACLs allow these only). */
export function replayable(topic: string): boolean {
  return (
    topic === Topics.submissions ||
    topic === Topics.receipts ||
    topic === Topics.auditEvents ||
    topic.startsWith('sgx.delivery.')
  );
}

export interface ReplayOptions {
  /** Who re-drives (named in the audit event's detail). */
  operator: string;
  /** Signs the `dead-letter-replayed` audit event as the hub (compact JWS). */
  signAuditEvent: (eventJson: string) => Promise<string>;
  /** Told of each record, replayed or not. */
  onEach?: (letter: DeadLetter, replayedTo: string | null) => void;
}

/**
 * Writes each chosen record (key, value, headers) back to its source topic for its consumer to
 * process again: consumers are idempotent (the node inbox, the hub's processed messages, the
 * audit chain dedupe by id), so a record replayed twice or already handled changes nothing. Each
 * replay is audited first. Returns how many were replayed.
 */
export async function replayDeadLetters(
  settings: KafkaSettings,
  chosen: DeadLetter[],
  options: ReplayOptions,
): Promise<number> {
  const publisher = new KafkaPublisher(settings);
  try {
    let replayedCount = 0;
    for (const letter of chosen) {
      if (!replayable(letter.sourceTopic)) {
        options.onEach?.(letter, null);
        continue;
      }
      const now = new Date();
      // The audit event first: an operator's action is on the trail even if the copy then fails.
      await publisher.publish(Topics.auditEvents, [
        {
          key: letter.messageId || `${letter.partition}:${letter.offset}`,
          value: await options.signAuditEvent(
            JSON.stringify(replayEvent(letter, options.operator, now)),
          ),
        },
      ]);
      await publisher.publish(letter.sourceTopic, [replayed(letter, now)]);
      replayedCount++;
      options.onEach?.(letter, letter.sourceTopic);
    }
    return replayedCount;
  } finally {
    await publisher.onApplicationShutdown();
  }
}
