/**
 * End-to-end journey benchmark, measured against the machine's own ceilings. Each service runs as
 * its own Node process from the build (dist/), as `npm start` runs it (the hub, the audit service and the police,
 * education, health and social care adapters; real Kafka on KAFKA_BROKERS, real PostgreSQL, keys
 * in a temporary KEYS_DIR, bearer tokens from a test issuer over HTTP), every security step on.
 * Each notification goes to three recipients (the school, school nursing, the MASH), as the
 * journey does. In one run it measures:
 *
 *   0. the ceilings: EdDSA sign/verify and ECDH-ES+A256GCM encrypt/decrypt ops/s on one core,
 *      PostgreSQL commits/s with one and with sixteen connections, kafkajs produce→consume
 *      records/s for 4 KiB records (bench/support/machine-ceilings.ts);
 *   1. latency at a steady rate: JOURNEY_BENCH_LATENCY_N (1,000) incidents, one child each, at
 *      JOURNEY_BENCH_RATE (100) per second; submit → delivered per notification;
 *   2. throughput: JOURNEY_BENCH_THROUGHPUT_N (2,000) incidents with JOURNEY_BENCH_CONCURRENCY
 *      (64) requests in flight; time until every recipient's receipt is back → receipted
 *      deliveries/s end to end. Over this phase it counts what one notification spends: crypto
 *      operations (each process's sgx_crypto_operations_total), commits (pg_stat_database, less
 *      the bench's own polling and the idle stack's rate) and Kafka records (the growth of every topic's end offsets);
 *      with the ceilings that gives the bound each resource sets.
 *
 * "Delivered" is a recipient's delivery as the sender sees it: the police adapter's own
 * incident_notification_recipient.delivered_at, set when the recipient's delivered receipt has
 * come back through the hub (the school's row for latency, all three for throughput). Uses a
 * database of its own (sgx_bench_journey on the DATABASE_URL server, or BENCH_DATABASE_URL), which
 * it creates and migrates. Gives up after JOURNEY_BENCH_TIMEOUT_S (600) seconds, printing what it
 * has, and exits non-zero. The last line is
 * `deliveries/s <n>; bound <n>; ratio <x>; p99 at <rate>/s <ms> ms`.
 *
 *   node -r ./scripts/run-ts.js bench/journey-throughput.bench.ts      (npm run bench:journey)
 */
import 'reflect-metadata';
import os from 'node:os';

import { exchangeTopicSpecs } from '@app/contracts';
import { CryptoOperation } from '@app/crypto';
import { kafkaClientConfig } from '@app/messaging';
import { Kafka } from 'kafkajs';

import { BenchStack, INCIDENT_JOURNEY_APPS, loadavg, sleep } from './support/bench-stack';
import {
  MachineCeilings,
  measureCommits,
  measureCrypto,
  measureKafka,
} from './support/machine-ceilings';

const LATENCY_N = Number(process.env.JOURNEY_BENCH_LATENCY_N ?? 1_000);
const RATE = Number(process.env.JOURNEY_BENCH_RATE ?? 100);
const THROUGHPUT_N = Number(process.env.JOURNEY_BENCH_THROUGHPUT_N ?? 2_000);
const CONCURRENCY = Number(process.env.JOURNEY_BENCH_CONCURRENCY ?? 64);
const TIMEOUT_S = Number(process.env.JOURNEY_BENCH_TIMEOUT_S ?? 600);
const CEILING_SECONDS = Number(process.env.JOURNEY_BENCH_CEILING_SECONDS ?? 3);
const RECIPIENTS_PER_NOTIFICATION = 3;
const POLL_MS = 20;
const COMMAND = 'node -r ./scripts/run-ts.js bench/journey-throughput.bench.ts';
const JOURNEY_SERVICES = INCIDENT_JOURNEY_APPS;
const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: digits }) : 'n/a';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => (Number.isNaN(v) ? 'n/a' : v.toFixed(0));
  return (
    `n=${sorted.length} p50 ${f(percentile(sorted, 50))} ms, p95 ${f(percentile(sorted, 95))} ms, ` +
    `p99 ${f(percentile(sorted, 99))} ms, max ${f(sorted[sorted.length - 1] ?? NaN)} ms`
  );
}

interface Tracked {
  phase: 'latency' | 'throughput';
  sentAt: number; // ms since epoch, just before the POST
  acceptedAt?: number; // the 202 came back
  deliveredAt?: number; // the school's receipt time (the school's inbox stored it)
  seenAt?: number; // the police node had the school's receipt (polled)
  receipted?: number; // recipients whose delivered receipt the police node has
  rejected?: string;
}

const tracked = new Map<string, Tracked>();
// Module-wide so that a failure or the watchdog still stops every service the bench started.
const stack = new BenchStack('sgx_bench_journey', JOURNEY_SERVICES);
const processes = stack.processes;
const killServices = () => stack.killAll();
const failures: string[] = [];
const results: string[] = [];

function report(line: string): void {
  results.push(line);
  console.log(line);
}

function phaseFigures(phase: Tracked['phase']): void {
  const rows = [...tracked.values()].filter((t) => t.phase === phase);
  const accepted = rows.filter((t) => t.acceptedAt !== undefined);
  const delivered = rows.filter((t) => t.seenAt !== undefined);
  report(
    `  ${phase}: ${rows.length} submitted, ${accepted.length} accepted (202), ` +
      `${delivered.length} delivered to the school, ${rows.filter((t) => t.rejected).length} rejected`,
  );
  report(
    `    POST /incidents → 202:               ${summary(accepted.map((t) => t.acceptedAt! - t.sentAt))}`,
  );
  report(
    `    submit → delivered (receipt time):   ${summary(delivered.map((t) => t.deliveredAt! - t.sentAt))}`,
  );
  report(
    `    submit → delivered seen by police:   ${summary(delivered.map((t) => t.seenAt! - t.sentAt))}`,
  );
}

/** What the whole stack has spent so far: crypto operations, commits, Kafka records. */
interface Spend {
  crypto: Record<CryptoOperation, number>;
  commits: number;
  records: number;
}

async function main(): Promise<void> {
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.log(`\nTIMED OUT after ${TIMEOUT_S} s; what there is so far:`);
    phaseFigures('latency');
    phaseFigures('throughput');
    console.log(`load average: ${loadavg()}`);
    console.log(`command: ${COMMAND}`);
    killServices();
    process.exit(2);
  }, TIMEOUT_S * 1000);

  // The deploy step for the services of the journey, in the bench's own database.
  const { created } = await stack.prepare(Number(process.env.KAFKA_REPLICATION_FACTOR ?? '1'));
  const { kafkaSettings, databaseName } = stack;
  console.log(
    `database ${databaseName} (${created ? 'created' : 'exists'}), ` +
      `brokers ${kafkaSettings.brokers.join(',')}, load average ${loadavg()}`,
  );

  // 0. The machine's ceilings, before the services start so they measure the machine alone.
  console.log(`\n0. ceilings (${CEILING_SECONDS} s each)`);
  const ceilings: MachineCeilings = {
    crypto: await measureCrypto(CEILING_SECONDS),
    commitsPerSecond: await measureCommits(stack.databaseUrl, CEILING_SECONDS),
    kafkaRecordsPerSecond: await measureKafka(kafkaClientConfig(kafkaSettings, 'bench-ceilings')),
  };
  report(
    `  crypto, one core: sign ${fmt(ceilings.crypto.sign)}/s, verify ${fmt(ceilings.crypto.verify)}/s, ` +
      `encrypt ${fmt(ceilings.crypto.encrypt)}/s, decrypt ${fmt(ceilings.crypto.decrypt)}/s`,
  );
  report(
    `  PostgreSQL commits: ${fmt(ceilings.commitsPerSecond.one)}/s on 1 connection, ` +
      `${fmt(ceilings.commitsPerSecond.sixteen)}/s on 16`,
  );
  report(`  Kafka, 4 KiB records produce→consume: ${fmt(ceilings.kafkaRecordsPerSecond)}/s`);

  // The registry rows and keys, written before any service starts, as the deploy step does.
  await stack.seedArea();
  // Each service its own process, compiled, as `npm start` runs them.
  stack.build();
  await stack.start(JOURNEY_SERVICES.map((name) => ({ name, app: name })));
  const police = stack.service('police-adapter');
  const policeDb = stack.pool('police-adapter');
  const token = await stack.policeToken();
  console.log(
    `\n${processes.size} services up as processes in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  let benchQueries = 0; // the bench's own transactions, taken off the commit count
  const kafka = new Kafka(kafkaClientConfig(kafkaSettings, 'bench-journey'));
  const admin = kafka.admin();
  await admin.connect();

  async function spend(): Promise<Spend> {
    const crypto: Record<CryptoOperation, number> = { sign: 0, verify: 0, encrypt: 0, decrypt: 0 };
    for (const service of processes.values()) {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      for (const match of text.matchAll(
        /^sgx_crypto_operations_total\{[^}]*operation="(\w+)"[^}]*\} (\d+)/gm,
      )) {
        crypto[match[1] as CryptoOperation] += Number(match[2]);
      }
    }
    const {
      rows: [{ commits }],
    } = await policeDb.query<{ commits: string }>(
      'SELECT xact_commit::bigint AS commits FROM pg_stat_database WHERE datname = $1',
      [databaseName],
    );
    benchQueries++;
    let records = 0;
    for (const { topic } of exchangeTopicSpecs()) {
      for (const partition of await admin.fetchTopicOffsets(topic))
        records += Number(partition.high);
    }
    return { crypto, commits: Number(commits), records };
  }

  async function submit(phase: Tracked['phase']): Promise<void> {
    const sentAt = Date.now();
    const { messageIds, refusal } = await stack.submitIncident(police.url, token);
    if (refusal) return void failures.push(refusal);
    const acceptedAt = Date.now();
    for (const messageId of messageIds) tracked.set(messageId, { phase, sentAt, acceptedAt });
  }

  /**
   * Polls the police node's table until every tracked notification of the phase is settled: the
   * school's receipt is back (and, with `allRecipients`, every recipient's), or it was rejected.
   */
  async function untilAllSettled(
    phase: Tracked['phase'],
    expected: number,
    allRecipients = false,
  ): Promise<number> {
    const done = (t: Tracked) =>
      t.rejected !== undefined ||
      (t.seenAt !== undefined &&
        (!allRecipients || (t.receipted ?? 0) >= RECIPIENTS_PER_NOTIFICATION));
    for (;;) {
      const rows = [...tracked.entries()].filter(([, t]) => t.phase === phase);
      const pending = rows.filter(([, t]) => !done(t));
      if (pending.length === 0 && rows.length + failures.length >= expected) return Date.now();
      if (pending.length > 0) {
        const { rows: settled } = await policeDb.query<{
          message_id: string;
          school_delivered_at: Date | null;
          receipted: string;
          rejection_code: string | null;
        }>(
          `SELECT n.message_id,
                  max(r.delivered_at) FILTER (WHERE r.role = 'school') AS school_delivered_at,
                  count(r.delivered_at) AS receipted,
                  COALESCE(n.rejection_code,
                           max(r.rejection_code) FILTER (WHERE r.role = 'school')) AS rejection_code
             FROM incident_notification n
             LEFT JOIN incident_notification_recipient r ON r.message_id = n.message_id
            WHERE n.message_id = ANY($1)
            GROUP BY n.message_id, n.rejection_code, n.rejected_at
           HAVING n.rejected_at IS NOT NULL
               OR bool_or(r.role = 'school' AND (r.delivered_at IS NOT NULL OR r.rejected_at IS NOT NULL))`,
          [pending.map(([id]) => id)],
        );
        benchQueries++;
        const now = Date.now();
        for (const row of settled) {
          const t = tracked.get(row.message_id)!;
          if (row.school_delivered_at) {
            t.deliveredAt ??= row.school_delivered_at.getTime();
            t.seenAt ??= now;
            t.receipted = Number(row.receipted);
          } else t.rejected = row.rejection_code ?? 'rejected';
        }
      }
      await sleep(POLL_MS);
    }
  }

  // Warm-up: a few notifications through every path (JIT, connections, consumer assignment).
  for (let i = 0; i < 5; i++) await submit('latency');
  await untilAllSettled('latency', 5);
  tracked.clear();

  // 1. Latency at a steady rate.
  console.log(`\n1. latency: ${LATENCY_N} incidents at ${RATE}/s (load average ${loadavg()})`);
  const latencyStart = Date.now();
  // The poller runs while submitting, so that "seen by police" is not delayed by the sending.
  const latencyWaiter = untilAllSettled('latency', LATENCY_N);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < LATENCY_N; i++) {
    const due = latencyStart + (i * 1000) / RATE;
    await sleep(Math.max(0, due - Date.now()));
    sends.push(submit('latency'));
  }
  await Promise.all(sends);
  await latencyWaiter;
  report(
    `  offered ${RATE}/s for ${((Date.now() - latencyStart) / 1000).toFixed(1)} s, load average ${loadavg()}`,
  );
  phaseFigures('latency');
  const latencyDelivered = [...tracked.values()]
    .filter((t) => t.phase === 'latency' && t.seenAt !== undefined)
    .map((t) => t.deliveredAt! - t.sentAt)
    .sort((a, b) => a - b);
  const p99AtRate = percentile(latencyDelivered, 99);

  // 2. Throughput with bounded concurrency, and what each notification spends.
  await sleep(2_000); // let the latency phase's receipts and audit events drain
  console.log(
    `\n2. throughput: ${THROUGHPUT_N} incidents, ${CONCURRENCY} in flight (load average ${loadavg()})`,
  );
  const failuresBefore = failures.length;
  // What the stack spends doing nothing (pollers, schedulers) is not the notifications' cost.
  const idleStart = await spend();
  const idleStartedAt = Date.now();
  await sleep(5_000);
  const idleEnd = await spend();
  const idleCommitsPerMs = (idleEnd.commits - idleStart.commits - 1) / (Date.now() - idleStartedAt);
  const spentBefore = await spend();
  const queriesBefore = benchQueries;
  const throughputStart = Date.now();
  let next = 0;
  const waiter = untilAllSettled('throughput', THROUGHPUT_N, true);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_N) {
        next++;
        await submit('throughput');
      }
    }),
  );
  const submittedAllAt = Date.now();
  const doneAt = await waiter;
  const seconds = (doneAt - throughputStart) / 1000;
  const throughputRows = [...tracked.values()].filter((t) => t.phase === 'throughput');
  const receiptedDeliveries = throughputRows.reduce((sum, t) => sum + (t.receipted ?? 0), 0);
  const notifications = throughputRows.filter((t) => t.seenAt !== undefined).length;
  await sleep(2_000); // the last receipts' audit events and outbox rows
  const spentAfter = await spend();
  const commits =
    spentAfter.commits -
    spentBefore.commits -
    (benchQueries - queriesBefore) -
    idleCommitsPerMs * (Date.now() - throughputStart);
  report(
    `  submitted ${THROUGHPUT_N} in ${((submittedAllAt - throughputStart) / 1000).toFixed(1)} s ` +
      `(${(THROUGHPUT_N / ((submittedAllAt - throughputStart) / 1000)).toFixed(0)} accepted/s), ` +
      `${failures.length - failuresBefore} refused`,
  );
  const deliveriesPerSecond = receiptedDeliveries / seconds;
  report(
    `  ${receiptedDeliveries} receipted deliveries (${notifications} notifications) after ` +
      `${seconds.toFixed(1)} s: ${fmt(deliveriesPerSecond)} deliveries/s, ` +
      `${fmt(notifications / seconds)} notifications/s end to end, load average ${loadavg()}`,
  );
  phaseFigures('throughput');

  // What one notification spends, and the bound each ceiling sets (notifications/s).
  const per = (value: number) => value / Math.max(1, notifications);
  const operations = Object.keys(spentAfter.crypto) as CryptoOperation[];
  const cryptoPer = Object.fromEntries(
    operations.map((op) => [op, per(spentAfter.crypto[op] - spentBefore.crypto[op])]),
  ) as Record<CryptoOperation, number>;
  const cryptoSecondsPer = operations.reduce(
    (sum, op) => sum + cryptoPer[op] / ceilings.crypto[op],
    0,
  );
  const cores = os.cpus().length;
  const bounds = {
    [`crypto (${cores} cores)`]: cores / cryptoSecondsPer,
    'PostgreSQL commits (16 connections)': ceilings.commitsPerSecond.sixteen / per(commits),
    'Kafka records': ceilings.kafkaRecordsPerSecond / per(spentAfter.records - spentBefore.records),
  };
  report(
    `\n  one notification (${RECIPIENTS_PER_NOTIFICATION} recipients) spends: ` +
      operations.map((op) => `${fmt(cryptoPer[op], 1)} ${op}`).join(', ') +
      ` (${(cryptoSecondsPer * 1000).toFixed(2)} ms of one core); ${fmt(per(commits), 1)} commits; ` +
      `${fmt(per(spentAfter.records - spentBefore.records), 1)} Kafka records`,
  );
  for (const [resource, bound] of Object.entries(bounds)) {
    report(
      `  bound set by ${resource}: ${fmt(bound)} notifications/s = ` +
        `${fmt(bound * RECIPIENTS_PER_NOTIFICATION)} deliveries/s`,
    );
  }
  const [boundingResource, boundNotifications] = Object.entries(bounds).sort(
    ([, a], [, b]) => a - b,
  )[0];
  const boundDeliveries = boundNotifications * RECIPIENTS_PER_NOTIFICATION;
  report(`  the tightest is ${boundingResource}`);

  clearTimeout(watchdog);
  console.log(
    `\nSummary (${new Date().toISOString()}, Node ${process.version}, ${cores} cores, ${os.cpus()[0]?.model}):`,
  );
  for (const line of results) console.log(line);
  if (failures.length)
    console.log(`failures (${failures.length}): ${failures.slice(0, 3).join(' | ')}`);
  console.log(`load average: ${loadavg()}`);
  console.log(`command: ${COMMAND}`);
  console.log(
    `deliveries/s ${fmt(deliveriesPerSecond)}; bound ${fmt(boundDeliveries)}; ` +
      `ratio ${(deliveriesPerSecond / boundDeliveries).toFixed(2)}; ` +
      `p99 at ${RATE}/s ${fmt(p99AtRate)} ms`,
  );

  await admin.disconnect();
  await stack.stop();
  process.exit(failures.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`journey bench failed: ${(error as Error).stack ?? String(error)}`);
  killServices();
  process.exit(1);
});
