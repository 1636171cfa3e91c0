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
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ExchangeErrorCode } from '@app/contracts';
import {
  DeadLetter,
  DeadLetterFilters,
  deadLetterMatches,
  KafkaSettings,
  readDeadLetters,
  replayDeadLetters,
} from '@app/messaging';
import { loadNodeKeyring, signAuditEvent } from '@app/crypto';

import { operatorKafkaSettings } from '../apps/hub/src/admin/operator-kafka-settings';
import { HUB_NODE_ID } from '../apps/hub/src/keys/hub-keys.service';

const USAGE =
  'usage: npm run dead-letter -- <list|replay> [--all] [--code <code>] [--source-topic <topic>] [--message-id <id>] [--record <partition>:<offset>]';

function describe(letter: DeadLetter): string {
  const replay = letter.replayOf ? ` replay-of=${letter.replayOf}` : '';
  return (
    `  ${letter.partition}:${letter.offset} ${letter.time} ${letter.code || '-'} ` +
    `from ${letter.sourceTopic || '-'} message ${letter.messageId || '-'} ${letter.type || '-'}${replay}`
  );
}

async function replay(settings: KafkaSettings, chosen: DeadLetter[]): Promise<void> {
  const hub = await loadNodeKeyring(path.resolve(process.env.KEYS_DIR || '.keys'), HUB_NODE_ID);
  const count = await replayDeadLetters(settings, chosen, {
    operator: process.env.SGX_OPERATOR || os.userInfo().username,
    signAuditEvent: (eventJson) => signAuditEvent(eventJson, hub.signing),
    onEach: (letter, to) =>
      console.log(
        `${describe(letter)}: ${to ? `replayed to ${to}` : 'not replayed (no consumed source topic)'}`,
      ),
  });
  console.log(`${count} replayed`);
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
  const filters: DeadLetterFilters = {
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
  const chosen = (await readDeadLetters(settings)).filter((letter) =>
    deadLetterMatches(letter, filters),
  );
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
