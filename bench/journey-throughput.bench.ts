/**
 * End-to-end journey benchmark: the police adapter, the hub and the education, health and social
 * care adapters booted in this one process as the journey e2e test boots them (real Kafka on
 * KAFKA_BROKERS, real PostgreSQL, keys in a temporary KEYS_DIR, bearer tokens from a test issuer
 * over HTTP), every security step on. Each notification goes to three recipients (the school,
 * school nursing, the MASH), as the journey does. It measures:
 *
 *   1. latency at a modest rate: JOURNEY_BENCH_LATENCY_N (200) incidents, one child each, at
 *      JOURNEY_BENCH_RATE (20) per second; submit → delivered per notification;
 *   2. throughput: JOURNEY_BENCH_THROUGHPUT_N (1,000) incidents with JOURNEY_BENCH_CONCURRENCY
 *      (32) requests in flight; time until every one is delivered → notifications/s end to end.
 *
 * "Delivered" is the school's delivery (the police's Operation Encompass duty), read from the police
 * adapter's own table (incident_notification_recipient.delivered_at of the recipient in role
 * `school`), set when the school's delivered receipt has come back through the hub: two figures per
 * notification, the receipt's time (stored in the school's inbox) and the moment the police node
 * had it (polled every POLL_MS). Uses a database of its own (sgx_bench_journey on the
 * DATABASE_URL server, or BENCH_DATABASE_URL), which it creates and migrates. Gives up after
 * JOURNEY_BENCH_TIMEOUT_S (300) seconds, printing what it has, and exits non-zero.
 *
 *   node -r ./scripts/run-ts.js bench/journey-throughput.bench.ts      (npm run bench:journey)
 */
import 'reflect-metadata';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';

import { exchangeTopicSpecs } from '@app/contracts';
import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import { ensureTopics, parseBrokers } from '@app/messaging';
import { ensureDatabase, runMigrations } from '@app/persistence';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';
import { DataSource } from 'typeorm';

import { SERVICES, serviceEnv } from '../scripts/services';

const LATENCY_N = Number(process.env.JOURNEY_BENCH_LATENCY_N ?? 200);
const RATE = Number(process.env.JOURNEY_BENCH_RATE ?? 20);
const THROUGHPUT_N = Number(process.env.JOURNEY_BENCH_THROUGHPUT_N ?? 1_000);
const CONCURRENCY = Number(process.env.JOURNEY_BENCH_CONCURRENCY ?? 32);
const TIMEOUT_S = Number(process.env.JOURNEY_BENCH_TIMEOUT_S ?? 300);
const POLL_MS = 20;
const COMMAND = 'node -r ./scripts/run-ts.js bench/journey-throughput.bench.ts';

function benchUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(
    process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/safeguarding',
  );
  url.pathname = '/sgx_bench_journey';
  return url.toString();
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  deliveredAt?: number; // the receipt's time (the school's inbox stored it)
  seenAt?: number; // the police node had the receipt (polled)
  rejected?: string;
}

const tracked = new Map<string, Tracked>();
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
      `${delivered.length} delivered, ${rows.filter((t) => t.rejected).length} rejected`,
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

async function main(): Promise<void> {
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.log(`\nTIMED OUT after ${TIMEOUT_S} s; what there is so far:`);
    phaseFigures('latency');
    phaseFigures('throughput');
    console.log(`load average: ${loadavg()}`);
    console.log(`command: ${COMMAND}`);
    process.exit(2);
  }, TIMEOUT_S * 1000);

  process.env.DATABASE_URL = benchUrl();
  process.env.LOG_LEVEL ??= 'warn';
  process.env.NODE_ENV ??= 'test';
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-bench-journey-keys-'));
  process.env.KEYS_DIR = keysDir;

  // The deploy step for the five services of the journey, in the bench's own database.
  const used = SERVICES.filter((s) =>
    [
      'hub',
      'police-adapter',
      'education-adapter',
      'health-adapter',
      'social-care-adapter',
    ].includes(s.name),
  );
  const created = await ensureDatabase(process.env.DATABASE_URL);
  for (const service of used) {
    const env = serviceEnv(service);
    await runMigrations(
      { ...service.tables, schema: env.DATABASE_SCHEMA },
      { url: env.DATABASE_URL },
    );
  }
  const brokers = parseBrokers(serviceEnv(used[0]).KAFKA_BROKERS);
  await ensureTopics(
    { brokers },
    exchangeTopicSpecs(),
    Number(process.env.KAFKA_REPLICATION_FACTOR ?? '1'),
  );
  console.log(
    `database ${new URL(process.env.DATABASE_URL).pathname.slice(1)} (${created ? 'created' : 'exists'}), ` +
      `brokers ${brokers.join(',')}`,
  );

  // Imported only now: the apps read their environment when their modules load.
  const { AppModule: HubModule } = await import('../apps/hub/src/app.module');
  const { AppModule: PoliceModule } = await import('../apps/police-adapter/src/app.module');
  const { AppModule: EducationModule } = await import('../apps/education-adapter/src/app.module');
  const { AppModule: HealthModule } = await import('../apps/health-adapter/src/app.module');
  const { AppModule: SocialCareModule } =
    await import('../apps/social-care-adapter/src/app.module');
  const { freePort, startService } = await import('../test/support/service-harness');
  const { TestIssuer } = await import('../test/support/test-issuer');

  const issuer = new TestIssuer();
  await issuer.start();
  const hubPort = await freePort();
  process.env.HUB_JWKS_URL = `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`;
  const hub = await startService(HubModule, hubPort);
  const hubDb = hub.app.get(DataSource);
  const urn = String(randomInt(1_000_000, 9_999_999));
  const schoolMailbox = `school-${urn}-dsl`;
  await hubDb.query(`INSERT INTO agency (id, name, kind, area) VALUES
    ('northshire-exchange', 'Exchange', 'other', 'northshire'),
    ('northshire-police', 'Police', 'police', 'northshire'),
    ('northshire-education', 'Education', 'education', 'northshire'),
    ('northshire-community-health', 'Health', 'health', 'northshire'),
    ('northshire-childrens-social-care', 'Social care', 'social-care', 'northshire')
    ON CONFLICT DO NOTHING`);
  await hubDb.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES
    ('hub', 'northshire-exchange', 'hub'), ('police', 'northshire-police', 'police'),
    ('education', 'northshire-education', 'education'),
    ('health', 'northshire-community-health', 'health'),
    ('social-care', 'northshire-childrens-social-care', 'social-care')
    ON CONFLICT (id) DO UPDATE SET status = 'active'`);
  await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
    ('education-escalation', 'education', 'escalation', 'Escalation', NULL),
    ('mash', 'social-care', 'mash', 'MASH', NULL),
    ('school-nursing', 'health', 'school-nursing', 'School nursing', NULL),
    ('health-visiting', 'health', 'health-visiting', 'Health visiting', NULL)
    ON CONFLICT DO NOTHING`);
  await hubDb.query(
    `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
     VALUES ($1, 'education', 'designated-safeguarding-lead', 'Bench school DSL', $2)`,
    [schoolMailbox, urn],
  );
  const keys = new NodeKeyService(hubDb.getRepository(NodeKeyEntity));
  for (const nodeId of ['hub', 'police', 'education', 'health', 'social-care']) {
    const signing = await generateSigningKeyPair();
    const encryption = await generateEncryptionKeyPair();
    await writePrivateKeyFile(keysDir, nodeId, signing);
    await writePrivateKeyFile(keysDir, nodeId, encryption);
    await writeCurrentKids(keysDir, nodeId, { signing: signing.kid, encryption: encryption.kid });
    await keys.rotate({ nodeId, publicJwk: signing.publicJwk }, 0);
    await keys.rotate({ nodeId, publicJwk: encryption.publicJwk }, 0);
  }
  const [police, education, health, socialCare] = await Promise.all([
    startService(PoliceModule),
    startService(EducationModule),
    startService(HealthModule),
    startService(SocialCareModule),
  ]);
  const policeDb = police.app.get(DataSource);
  const token = await issuer.token({
    roles: ['agency-system'],
    agency: 'northshire-police',
    subject: 'police-cad',
  });
  console.log(`five services up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  function incident() {
    return {
      policeReference: `NP-${randomUUID().slice(0, 8)}`,
      occurredAt: new Date().toISOString(),
      location: '12 Example Road, Northtown',
      children: [
        {
          name: `Child ${randomUUID().slice(0, 8)} Benchperson`,
          dateOfBirth: `2016-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
          schoolUrn: urn,
          presence: 'witnessing',
          voiceOfChild: 'Hid upstairs',
        },
      ],
      riskLevel: 'high',
      circumstances: 'Child witnessed an argument between adults at home',
      actionsTaken: 'Suspect arrested; investigation ongoing',
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch8-para4',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
    };
  }

  async function submit(phase: Tracked['phase']): Promise<void> {
    const sentAt = Date.now();
    try {
      const response = await fetch(`${police.url}/incidents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(incident()),
      });
      const body = (await response.json()) as { notifications?: { messageId: string }[] };
      if (response.status !== 202 || !body.notifications) {
        failures.push(`${response.status} ${JSON.stringify(body).slice(0, 200)}`);
        return;
      }
      const acceptedAt = Date.now();
      for (const { messageId } of body.notifications) {
        tracked.set(messageId, { phase, sentAt, acceptedAt });
      }
    } catch (error) {
      failures.push(String(error));
    }
  }

  /** Polls the police node's table until every tracked notification of the phase is settled. */
  async function untilAllSettled(phase: Tracked['phase'], expected: number): Promise<number> {
    for (;;) {
      const pending = [...tracked.entries()].filter(
        ([, t]) => t.phase === phase && t.seenAt === undefined && !t.rejected,
      );
      const settled = [...tracked.values()].filter(
        (t) => t.phase === phase && (t.seenAt !== undefined || t.rejected),
      ).length;
      if (pending.length === 0 && settled + failures.length >= expected) return Date.now();
      if (pending.length > 0) {
        const rows: {
          message_id: string;
          delivered_at: Date | null;
          rejection_code: string | null;
        }[] = await policeDb.query(
          // The school's recipient row; a rejection of the school or of the whole message.
          `SELECT n.message_id, r.delivered_at,
                  COALESCE(n.rejection_code, r.rejection_code) AS rejection_code
             FROM incident_notification n
             LEFT JOIN incident_notification_recipient r
               ON r.message_id = n.message_id AND r.role = 'school'
            WHERE n.message_id = ANY($1)
              AND (r.delivered_at IS NOT NULL OR r.rejected_at IS NOT NULL
                   OR n.rejected_at IS NOT NULL)`,
          [pending.map(([id]) => id)],
        );
        const now = Date.now();
        for (const row of rows) {
          const t = tracked.get(row.message_id)!;
          if (row.delivered_at) {
            t.deliveredAt = row.delivered_at.getTime();
            t.seenAt = now;
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

  // 1. Latency at a modest rate.
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

  // 2. Throughput with bounded concurrency.
  console.log(
    `\n2. throughput: ${THROUGHPUT_N} incidents, ${CONCURRENCY} in flight (load average ${loadavg()})`,
  );
  const failuresBefore = failures.length;
  const throughputStart = Date.now();
  let next = 0;
  let submittedAllAt = 0;
  const waiter = untilAllSettled('throughput', THROUGHPUT_N);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < THROUGHPUT_N) {
        next++;
        await submit('throughput');
      }
    }),
  );
  submittedAllAt = Date.now();
  const doneAt = await waiter;
  const delivered = [...tracked.values()].filter(
    (t) => t.phase === 'throughput' && t.seenAt,
  ).length;
  const seconds = (doneAt - throughputStart) / 1000;
  report(
    `  submitted ${THROUGHPUT_N} in ${((submittedAllAt - throughputStart) / 1000).toFixed(1)} s ` +
      `(${(THROUGHPUT_N / ((submittedAllAt - throughputStart) / 1000)).toFixed(0)} accepted/s), ` +
      `${failures.length - failuresBefore} refused`,
  );
  report(
    `  all ${delivered} delivered (receipt at the police node) after ${seconds.toFixed(1)} s: ` +
      `${(delivered / seconds).toFixed(0)} notifications/s end to end, load average ${loadavg()}`,
  );
  phaseFigures('throughput');

  clearTimeout(watchdog);
  console.log(
    `\nSummary (${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model}):`,
  );
  for (const line of results) console.log(line);
  if (failures.length)
    console.log(`failures (${failures.length}): ${failures.slice(0, 3).join(' | ')}`);
  console.log(`load average: ${loadavg()}`);
  console.log(`command: ${COMMAND}`);

  await hubDb.query('DELETE FROM mailbox WHERE id = $1', [schoolMailbox]).catch(() => undefined);
  await Promise.all(
    [hub, police, education, health, socialCare].map((service) => service.app.close()),
  );
  await issuer.stop();
  rmSync(keysDir, { recursive: true, force: true });
  process.exit(failures.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(`journey bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
