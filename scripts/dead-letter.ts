/**
 * Dead letters for operators: `npm run dead-letter -- list [filters]` and `npm run dead-letter --
 * replay <--all | filters>`. Filters: `--code <ExchangeErrorCode>`, `--source-topic <topic>`,
 * `--message-id <ce_id>`, `--record <partition>:<offset>` (on the dead-letter topic). Prints ids,
 * topics, codes and times, never a record's value. Replay writes each chosen record (key, value,
 * headers) back to its source topic for its consumer to process again: consumers are idempotent
 * (the node inbox, the hub's processed messages, the audit chain dedupe by id), so a record
 * replayed twice or already handled changes nothing. Each replay is audited
 * (`dead-letter-replayed`). Runs as the operator principal (KAFKA_OPERATOR_PRINCIPAL).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { AuditEvent, ExchangeErrorCode, Topics } from '@app/contracts';
import {
  DeadLetterHeader,
  KAFKA_OPERATOR_PRINCIPAL,
  kafkaClientConfig,
  KafkaPublisher,
  KafkaSettings,
  parseBrokers,
} from '@app/messaging';
import { loadNodeKeyring, signAuditEvent } from '@app/crypto';
import { BaseServiceEnv, kafkaSecurityFromEnv } from '@app/platform';
import { IHeaders, Kafka, KafkaMessage, logLevel } from 'kafkajs';

import { HUB_NODE_ID } from '../apps/hub/src/keys/hub-keys.service';

const USAGE =
  'usage: npm run dead-letter -- <list|replay> [--all] [--code <code>] [--source-topic <topic>] [--message-id <id>] [--record <partition>:<offset>]';

/** Headers the replayed copy carries, so a second dead-lettering shows where it came from. */
export const ReplayHeader = {
  from: 'sgx_replayed_from',
  at: 'sgx_replayed_at',
} as const;

interface DeadLetter {
  partition: number;
  offset: string;
  time: string;
  code: string;
  sourceTopic: string;
  messageId: string;
  type: string;
  replayOf: string;
  message: KafkaMessage;
}

interface Filters {
  code?: string;
  sourceTopic?: string;
  messageId?: string;
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
    sourceTopic: text(headers, DeadLetterHeader.sourceTopic),
    messageId: text(headers, 'ce_id'),
    type: text(headers, 'ce_type'),
    replayOf: text(headers, ReplayHeader.from),
    message,
  };
}

function matches(letter: DeadLetter, filters: Filters): boolean {
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
async function readDeadLetters(settings: KafkaSettings): Promise<DeadLetter[]> {
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

function describe(letter: DeadLetter): string {
  const replay = letter.replayOf ? ` replay-of=${letter.replayOf}` : '';
  return (
    `  ${letter.partition}:${letter.offset} ${letter.time} ${letter.code || '-'} ` +
    `from ${letter.sourceTopic || '-'} message ${letter.messageId || '-'} ${letter.type || '-'}${replay}`
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

function replayEvent(letter: DeadLetter, operator: string, now: Date): AuditEvent {
  return {
    eventId: randomUUID(),
    action: 'dead-letter-replayed',
    // Signed as the hub (its key in KEYS_DIR/hub), as the keys command signs: the audit service
    // appends only events signed by the node they name as actor. `detail` names the operator.
    actor: HUB_NODE_ID,
    occurredAt: now.toISOString(),
    ...(UUID.test(letter.messageId) ? { messageId: letter.messageId } : {}),
    ...(letter.code ? { errorCode: letter.code } : {}),
    // Who ran it (the machine's user) and which record: ids and names only.
    detail:
      `by ${operator}: ${Topics.deadLetter}/${letter.partition}@${letter.offset} to ${letter.sourceTopic}`.slice(
        0,
        500,
      ),
  };
}

/** The consumed topics a dead letter may be re-driven to (the operator's ACLs allow these only). */
function replayable(topic: string): boolean {
  return (
    topic === Topics.submissions ||
    topic === Topics.receipts ||
    topic === Topics.auditEvents ||
    topic.startsWith('sgx.delivery.')
  );
}

async function replay(settings: KafkaSettings, chosen: DeadLetter[]): Promise<void> {
  const publisher = new KafkaPublisher(settings);
  const operator = process.env.SGX_OPERATOR || os.userInfo().username;
  const hub = await loadNodeKeyring(path.resolve(process.env.KEYS_DIR || '.keys'), HUB_NODE_ID);
  try {
    let replayedCount = 0;
    for (const letter of chosen) {
      if (!replayable(letter.sourceTopic)) {
        console.log(`${describe(letter)}: not replayed (no consumed source topic)`);
        continue;
      }
      const now = new Date();
      // The audit event first: an operator's action is on the trail even if the copy then fails.
      await publisher.publish(Topics.auditEvents, [
        {
          key: letter.messageId || `${letter.partition}:${letter.offset}`,
          value: await signAuditEvent(
            JSON.stringify(replayEvent(letter, operator, now)),
            hub.signing,
          ),
        },
      ]);
      await publisher.publish(letter.sourceTopic, [replayed(letter, now)]);
      replayedCount++;
      console.log(`${describe(letter)}: replayed to ${letter.sourceTopic}`);
    }
    console.log(`${replayedCount} replayed`);
  } finally {
    await publisher.onApplicationShutdown();
  }
}

/**
 * The operator principal's connection: the service variables for the broker and TLS
 * (KAFKA_BROKERS, KAFKA_SSL*, KAFKA_CREDENTIALS_DIR), and OPERATOR_KAFKA_USERNAME,
 * OPERATOR_KAFKA_PASSWORD or OPERATOR_KAFKA_PASSWORD_FILE for the operator's own login (default:
 * `operator`, its password file made by npm run setup).
 */
function operatorKafkaSettings(raw: NodeJS.ProcessEnv): KafkaSettings {
  const defaults = new BaseServiceEnv();
  const username = raw.OPERATOR_KAFKA_USERNAME || KAFKA_OPERATOR_PRINCIPAL;
  const { security, problems } = kafkaSecurityFromEnv({
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_MECHANISM: (raw.KAFKA_SASL_MECHANISM ??
      defaults.KAFKA_SASL_MECHANISM) as BaseServiceEnv['KAFKA_SASL_MECHANISM'],
    KAFKA_SASL_PASSWORD: raw.OPERATOR_KAFKA_PASSWORD ?? '',
    KAFKA_SASL_PASSWORD_FILE: raw.OPERATOR_KAFKA_PASSWORD_FILE ?? '',
    KAFKA_CREDENTIALS_DIR: raw.KAFKA_CREDENTIALS_DIR || defaults.KAFKA_CREDENTIALS_DIR,
    KAFKA_SSL: raw.KAFKA_SSL === 'true' ? 'true' : 'false',
    KAFKA_SSL_CA_FILE: raw.KAFKA_SSL_CA_FILE ?? '',
    KAFKA_SSL_CERT_FILE: raw.KAFKA_SSL_CERT_FILE ?? '',
    KAFKA_SSL_KEY_FILE: raw.KAFKA_SSL_KEY_FILE ?? '',
  });
  if (!security) throw new Error(`Kafka credentials of ${username}: ${problems.join('; ')}`);
  return {
    brokers: parseBrokers(raw.KAFKA_BROKERS || defaults.KAFKA_BROKERS),
    groupId: `${KAFKA_OPERATOR_PRINCIPAL}-dead-letter`,
    partitionsConsumedConcurrently: 1,
    security,
  };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: 'boolean', default: false },
      code: { type: 'string' },
      'source-topic': { type: 'string' },
      'message-id': { type: 'string' },
      record: { type: 'string' },
    },
  });
  const [command] = positionals;
  if (positionals.length !== 1 || (command !== 'list' && command !== 'replay')) {
    throw new Error(USAGE);
  }
  if (values.code && !(Object.values(ExchangeErrorCode) as string[]).includes(values.code)) {
    throw new Error(`--code ${values.code} is not an exchange error code`);
  }
  if (values.record && !/^\d+:\d+$/.test(values.record)) {
    throw new Error('--record must be <partition>:<offset> as list prints it');
  }
  const filters: Filters = {
    code: values.code,
    sourceTopic: values['source-topic'],
    messageId: values['message-id'],
    record: values.record,
  };
  const filtered = Object.values(filters).some(Boolean);
  if (command === 'replay' && !filtered && !values.all) {
    throw new Error('replay needs a filter, or --all to replay every dead letter');
  }

  const settings = operatorKafkaSettings(process.env);
  const chosen = (await readDeadLetters(settings)).filter((letter) => matches(letter, filters));
  if (command === 'list') {
    for (const letter of chosen) console.log(describe(letter));
    console.log(`${chosen.length} dead letters${filtered ? ' match' : ''}`);
    return;
  }
  await replay(settings, chosen);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Messages name topics, codes and ids only; a record's value is never printed.
    console.error(`dead-letter: ${(error as Error).message}`);
    process.exit(1);
  },
);
