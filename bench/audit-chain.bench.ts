/**
 * Audit chain benchmark: appends AUDIT_BENCH_EVENTS (default 1,000,000) events through the real
 * append path in batches, then measures full verification and a message's trail query at that
 * size. Uses a database of its own (sgx_bench_audit on the DATABASE_URL server, or
 * BENCH_DATABASE_URL), which it creates, migrates and empties first. With AUDIT_BENCH_REUSE=1
 * and a chain of at least AUDIT_BENCH_EVENTS rows already there (from an earlier run), it skips
 * the appends and measures verification and the trail query on that chain.
 *
 *   node -r ./scripts/run-ts.js bench/audit-chain.bench.ts      (npm run bench:audit)
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';

import { AuditEvent } from '@app/contracts';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@app/persistence';
import { DataSource } from 'typeorm';

import { AUDIT_TABLES } from '../apps/audit/src/audit.tables';
import { ChainAppender, MAX_APPEND_BATCH } from '../apps/audit/src/chain/chain-appender.service';
import { ChainVerifier } from '../apps/audit/src/chain/chain-verifier.service';
import { GENESIS_HASH } from '../apps/audit/src/chain/chain-record';
import { TrailQueryService } from '../apps/audit/src/trail/trail-query.service';

const TOTAL = Number(process.env.AUDIT_BENCH_EVENTS ?? 1_000_000);
const REUSE = process.env.AUDIT_BENCH_REUSE === '1';
const EVENTS_PER_MESSAGE = 5;
const SINGLE_APPENDS = 5_000;
const TRAIL_QUERIES = 200;
const ACTIONS: AuditEvent['action'][] = [
  'submitted',
  'verified',
  'routed',
  'delivered',
  'acknowledged',
];

function benchUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/safeguarding',
  );
  url.pathname = '/sgx_bench_audit';
  return url.toString();
}

function event(messageId: string, subjectRef: string, i: number): AuditEvent {
  return {
    eventId: randomUUID(),
    action: ACTIONS[i % ACTIONS.length],
    actor: 'hub',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString(),
    messageId,
    subjectRef,
    messageType: 'domestic-abuse-incident',
    senderNode: 'police',
    senderAgency: 'northshire-police',
    recipientMailbox: `school-${i % 500}-dsl`,
    recipientAgency: 'northshire-education',
    payloadDigest: 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const rate = (count: number, ms: number) =>
  Math.round(count / (ms / 1_000)).toLocaleString('en-GB');

/** Empties the chain and appends TOTAL events in batches, then the single and group appends. */
async function appendChain(db: DataSource, appender: ChainAppender) {
  await db.query('TRUNCATE audit_record, audit_checkpoint');
  await db.query('UPDATE audit_chain_head SET seq = 0, hash = $1', [GENESIS_HASH]);

  // 1. Batched appends: the bulk of the chain.
  const messageIds: string[] = [];
  let started = performance.now();
  let batch: AuditEvent[] = [];
  let messageId = '';
  let subjectRef = '';
  for (let i = 0; i < TOTAL; i++) {
    if (i % EVENTS_PER_MESSAGE === 0) {
      messageId = randomUUID();
      subjectRef = `subj-${randomUUID()}`;
      messageIds.push(messageId);
    }
    batch.push(event(messageId, subjectRef, i));
    if (batch.length === MAX_APPEND_BATCH) {
      await appender.appendBatch(batch);
      batch = [];
    }
    if ((i + 1) % 100_000 === 0) console.error(`  appended ${(i + 1).toLocaleString('en-GB')}`);
  }
  if (batch.length) await appender.appendBatch(batch);
  const batchedMs = performance.now() - started;

  // 2. One transaction per event, as one caller at a time (the worst case of the consumer).
  started = performance.now();
  for (let i = 0; i < SINGLE_APPENDS; i++) {
    await appender.appendBatch([event(randomUUID(), 'subj-single', i)]);
  }
  const singleMs = performance.now() - started;

  // 3. Concurrent callers through append(): the consumer's path, with group commit.
  started = performance.now();
  await Promise.all(
    Array.from({ length: SINGLE_APPENDS }, (_, i) =>
      appender.append(event(randomUUID(), 'subj-group', i)),
    ),
  );
  const groupMs = performance.now() - started;

  await db.query('VACUUM ANALYZE audit_record');
  return { messageIds, batchedMs, singleMs, groupMs };
}

async function sampleMessages(db: DataSource): Promise<string[]> {
  const seqs = Array.from({ length: TRAIL_QUERIES }, () => 1 + Math.floor(Math.random() * TOTAL));
  const rows = (await db.query(
    'SELECT DISTINCT message_id::text AS id FROM audit_record WHERE seq = ANY($1::bigint[])',
    [seqs],
  )) as { id: string }[];
  return rows.map((row) => row.id);
}

async function main(): Promise<void> {
  const url = benchUrl();
  await ensureDatabase(url);
  const persistence = { ...AUDIT_TABLES, schema: 'audit' };
  await runMigrations(persistence, { url });
  const db = await new DataSource(
    dataSourceOptions(persistence, { url, poolSize: 4 }),
  ).initialize();
  const appender = new ChainAppender(db);
  const verifier = new ChainVerifier(db);
  const trail = new TrailQueryService(db);

  const existing = (await verifier.head()).seq;
  const appends = REUSE && existing >= TOTAL ? undefined : await appendChain(db, appender);
  if (!appends) console.error(`  reusing the chain of ${existing.toLocaleString('en-GB')} rows`);
  // Messages of the bulk part (5 events each), from the chain itself when it was reused.
  const messageIds = appends?.messageIds ?? (await sampleMessages(db));

  // 4. Full verification.
  const started = performance.now();
  const verified = await verifier.verify();
  const verifyMs = performance.now() - started;
  if (!verified.ok) throw new Error(`bench chain does not verify: ${JSON.stringify(verified)}`);

  // 5. A message's trail, for random messages.
  const latencies: number[] = [];
  for (let i = 0; i < TRAIL_QUERIES; i++) {
    const id = messageIds[Math.floor(Math.random() * messageIds.length)];
    const t = performance.now();
    const rows = await trail.messageTrail(id);
    latencies.push(performance.now() - t);
    if (rows.length !== EVENTS_PER_MESSAGE)
      throw new Error(`trail of ${id} has ${rows.length} rows`);
  }
  latencies.sort((a, b) => a - b);
  const [{ size }] = (await db.query(
    `SELECT pg_size_pretty(pg_total_relation_size('audit_record')) AS size`,
  )) as { size: string }[];
  await db.destroy();

  console.log(`
Audit chain benchmark (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, PostgreSQL at ${new URL(url).host})
command: node -r ./scripts/run-ts.js bench/audit-chain.bench.ts${REUSE ? ' (AUDIT_BENCH_REUSE=1)' : ''}
load average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}
rows in chain:                       ${verified.rows.toLocaleString('en-GB')} (table with indexes: ${size})
${
  appends
    ? `append, batches of ${MAX_APPEND_BATCH}:             ${rate(TOTAL, appends.batchedMs)} events/s (${(appends.batchedMs / 1_000).toFixed(1)} s for ${TOTAL.toLocaleString('en-GB')})
append, one transaction per event:   ${rate(SINGLE_APPENDS, appends.singleMs)} events/s (${SINGLE_APPENDS} sequential)
append(), ${SINGLE_APPENDS} concurrent callers:   ${rate(SINGLE_APPENDS, appends.groupMs)} events/s (group commit)`
    : 'appends:                             skipped (AUDIT_BENCH_REUSE=1, chain reused)'
}
verify, whole chain:                 ${rate(verified.rows, verifyMs)} rows/s (${(verifyMs / 1_000).toFixed(1)} s)
message trail query (${TRAIL_QUERIES} random):  p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${percentile(latencies, 0.99).toFixed(2)} ms`);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
