/**
 * A fault run (issue 15 items 1 and 2): the exchange as separate compiled processes — two hub
 * instances and two education adapters in their consumer groups, the audit service, the police,
 * health and social care adapters — every one reaching PostgreSQL through a TCP proxy, while
 * incidents (police → school, school nursing, MASH) and referrals (school → MASH) go in at a
 * steady rate. Meanwhile, at random moments: SIGKILL to each hub instance, each node and the
 * audit service (each started again at once), the proxy cut for a while (every connection to
 * the database dropped, none accepted), every broker restarted, and on a cluster one broker
 * killed and later started again. Then it waits for quiescence and checks every accepted
 * message: in each intended mailbox exactly once, the sender's status final (delivered, or
 * refused with a reason), every receipt back, and the audit chain verifying with each event once.
 */
import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import { freePort } from '../../test/support/service-harness';
import { TcpProxy } from '../../test/support/tcp-proxy';
import { validBodies } from '../../test/support/valid-bodies';

import { BenchStack, INCIDENT_JOURNEY_APPS, loadavg, ServiceInstance, sleep } from './bench-stack';
import { deliveryCheck, TrackedIncident } from './delivery-check';
import { KafkaCluster } from './kafka-cluster';

export interface ChaosOptions {
  databaseName: string;
  /** 3: the cluster of kafka.sh (one broker is also lost); 1: the single broker. */
  brokers: 1 | 3;
  /** Incidents and referrals offered per second, together, for `seconds`. */
  rate: number;
  seconds: number;
  /** SIGKILLs: of the hub (spread over its two instances), of each node, of the audit service. */
  hubKills: number;
  nodeKills: number;
  auditKills: number;
  brokerRestarts: number;
  databaseCuts: number;
  /** How long a database cut or a lost cluster broker lasts. */
  outageSeconds: number;
  /** Waiting for quiescence ends when nothing has moved for this long. */
  quietSeconds: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  faults: number;
  accepted: number;
  lost: number;
  duplicated: number;
  stuck: number;
  auditVerified: boolean;
  auditDuplicates: number;
  /** Lines that explain the counts. */
  report: string[];
}

const NODES = [
  'police-adapter',
  'education-adapter-1',
  'education-adapter-2',
  'health-adapter',
  'social-care-adapter',
];

interface Fault {
  at: number; // ms after the drive starts
  target: string;
  label: string;
  run: () => Promise<void>;
}

interface TrackedReferral {
  referralId: string;
  subjectRef: string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const report: string[] = [];
  const say = (line: string) => {
    report.push(line);
    log(line);
  };
  const cluster = new KafkaCluster(options.brokers);
  await cluster.ensureRunning();
  process.env.KAFKA_BROKERS = cluster.brokers.join(',');
  const stack = new BenchStack(options.databaseName, INCIDENT_JOURNEY_APPS);
  const realDb = new URL(stack.databaseUrl);
  const proxy = new TcpProxy(await freePort(), {
    host: realDb.hostname,
    port: Number(realDb.port || 5432),
  });
  const proxied = new URL(realDb);
  proxied.port = String(proxy.port);

  try {
    await stack.prepare(options.brokers);
    await stack.seedArea();
    stack.build();
    await proxy.up();
    // Every service reaches the database through the proxy; the run's own checks do not.
    const env = { DATABASE_URL: proxied.toString() };
    const instances: ServiceInstance[] = [
      { name: 'hub-1', app: 'hub', env },
      { name: 'hub-2', app: 'hub', env },
      { name: 'audit', app: 'audit', env },
      { name: 'police-adapter', app: 'police-adapter', env },
      { name: 'education-adapter-1', app: 'education-adapter', env },
      { name: 'education-adapter-2', app: 'education-adapter', env },
      { name: 'health-adapter', app: 'health-adapter', env },
      { name: 'social-care-adapter', app: 'social-care-adapter', env },
    ];
    const started = Date.now();
    await stack.start(instances);
    // A service started while the broker or the database is away answers /health 503 meanwhile.
    for (const service of stack.processes.values()) service.readyTimeoutMs = 300_000;
    log(
      `${instances.length} processes up in ${((Date.now() - started) / 1000).toFixed(0)} s ` +
        `(two hubs, two education adapters); brokers ${cluster.brokers.join(',')}; load average ${loadavg()}`,
    );

    // --- the faults, at random moments between 10% and 80% of the drive ---------------------
    const driveMs = options.seconds * 1000;
    const randomAt = () => driveMs * (0.1 + Math.random() * 0.7);
    const kill = (name: string) => async () => {
      await stack.service(name).kill();
      await stack.service(name).start();
    };
    const faults: Fault[] = [];
    for (let i = 0; i < options.hubKills; i++) {
      const name = `hub-${(i % 2) + 1}`;
      faults.push({ at: randomAt(), target: name, label: `SIGKILL ${name}`, run: kill(name) });
    }
    for (const name of NODES) {
      // The two education adapters share the node's kills.
      const kills = name.startsWith('education-adapter-')
        ? Math.ceil(options.nodeKills / 2) - (name.endsWith('2') ? options.nodeKills % 2 : 0)
        : options.nodeKills;
      for (let i = 0; i < kills; i++) {
        faults.push({ at: randomAt(), target: name, label: `SIGKILL ${name}`, run: kill(name) });
      }
    }
    for (let i = 0; i < options.auditKills; i++) {
      faults.push({ at: randomAt(), target: 'audit', label: 'SIGKILL audit', run: kill('audit') });
    }
    for (let i = 0; i < options.databaseCuts; i++) {
      faults.push({
        at: randomAt(),
        target: 'database',
        label: `PostgreSQL connection cut for ${options.outageSeconds} s`,
        run: async () => {
          await proxy.down();
          await sleep(options.outageSeconds * 1000);
          await proxy.up();
        },
      });
    }
    for (let i = 0; i < options.brokerRestarts; i++) {
      faults.push({
        at: randomAt(),
        target: 'kafka',
        label: `every broker restarted`,
        run: () => cluster.restart(),
      });
    }
    if (options.brokers === 3) {
      faults.push({
        at: randomAt(),
        target: 'kafka',
        label: `broker 2 of 3 SIGKILLed for ${options.outageSeconds} s`,
        run: async () => {
          await cluster.killBroker(2);
          await sleep(options.outageSeconds * 1000);
          await cluster.startBroker(2);
        },
      });
    }
    faults.sort((a, b) => a.at - b.at);

    // One fault at a time per target: a process is not killed again before it is back.
    const busy = new Map<string, Promise<void>>();
    const driveStart = Date.now();
    const done: Promise<void>[] = [];
    const faultLog: string[] = [];
    const scheduleFaults = (async () => {
      for (const fault of faults) {
        await sleep(Math.max(0, driveStart + fault.at - Date.now()));
        const previous = busy.get(fault.target) ?? Promise.resolve();
        const next = previous.then(async () => {
          const at = ((Date.now() - driveStart) / 1000).toFixed(1);
          await fault.run();
          faultLog.push(
            `${at} s ${fault.label} (back after ${((Date.now() - driveStart) / 1000 - Number(at)).toFixed(1)} s)`,
          );
        });
        busy.set(fault.target, next);
        done.push(next);
      }
    })();

    // --- the load: incidents and referrals, alternating, at a steady rate -------------------
    const police = stack.service('police-adapter');
    const policeToken = await stack.policeToken();
    const schoolToken = await stack.issuer.token({
      roles: ['mailbox-user'],
      mailboxes: [stack.schoolMailbox],
      subject: 'chaos-dsl',
    });
    const incidents: TrackedIncident[] = [];
    const referrals: TrackedReferral[] = [];
    const refused: string[] = [];
    const submitReferral = async (i: number) => {
      const education = stack.service(`education-adapter-${(i % 2) + 1}`);
      const body = validBodies.referral();
      (body.child as Record<string, unknown>).name =
        `Child ${randomUUID().slice(0, 8)} Chaosperson`;
      try {
        const response = await fetch(
          `${education.url}/mailboxes/${stack.schoolMailbox}/referrals`,
          {
            method: 'POST',
            headers: { Authorization: `Bearer ${schoolToken}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
        );
        const answer = (await response.json()) as { referralId?: string; subjectRef?: string };
        if (response.status !== 202 || !answer.referralId) {
          refused.push(`referral ${response.status}`);
          return;
        }
        referrals.push({ referralId: answer.referralId, subjectRef: answer.subjectRef! });
      } catch (error) {
        refused.push(`referral ${String(error).slice(0, 80)}`);
      }
    };
    const total = Math.round(options.rate * options.seconds);
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      await sleep(Math.max(0, driveStart + (i * 1000) / options.rate - Date.now()));
      if (i % 2 === 0) {
        const sentAt = Date.now();
        sends.push(
          stack.submitIncident(police.url, policeToken).then(({ messageIds, refusal }) => {
            if (refusal) refused.push(`incident ${refusal.slice(0, 80)}`);
            for (const messageId of messageIds) incidents.push({ messageId, sentAt });
          }),
        );
      } else sends.push(submitReferral(i));
    }
    await Promise.all(sends);
    await scheduleFaults;
    await Promise.all(done);
    say(
      `offered ${total} in ${options.seconds} s: ${incidents.length} incidents and ${referrals.length} ` +
        `referrals accepted, ${refused.length} refused (a killed node answers nothing); load average ${loadavg()}`,
    );
    say(`faults (${faults.length}):`);
    for (const line of faultLog) say(`  ${line}`);

    // --- quiescence and the checks ---------------------------------------------------------
    const incidentCheck = await deliveryCheck(stack, incidents, options.quietSeconds * 1000);
    say(`incidents: ${incidentCheck.describe()}`);
    const referralCheck = await checkReferrals(stack, referrals, options.quietSeconds * 1000);
    say(`referrals: ${referralCheck.describe}`);
    const audit = await checkAudit(stack);
    say(
      `audit: ${audit.rows} events in the trail, ${audit.duplicates} twice; chain ` +
        `${audit.verified ? 'verifies' : `does NOT verify: ${audit.detail}`}`,
    );
    return {
      faults: faults.length,
      accepted: incidents.length + referrals.length,
      lost: incidentCheck.lost + referralCheck.lost,
      duplicated: incidentCheck.duplicated + referralCheck.duplicated,
      stuck: incidentCheck.unreceipted + referralCheck.stuck,
      auditVerified: audit.verified,
      auditDuplicates: audit.duplicates,
      report,
    };
  } finally {
    await proxy.up().catch(() => undefined);
    await stack.stop().catch(() => stack.killAll());
    await proxy.down();
    log(await cluster.release());
  }
}

/**
 * A referral is delivered when the MASH's node holds it once (received_referral, and one inbox
 * row for its child) and the school's node has its delivered receipt, or refused with a reason.
 */
async function checkReferrals(
  stack: BenchStack,
  referrals: TrackedReferral[],
  quietMs: number,
): Promise<{ lost: number; duplicated: number; stuck: number; describe: string }> {
  const ids = referrals.map((r) => r.referralId);
  const refs = referrals.map((r) => r.subjectRef);
  const school = stack.pool('education-adapter');
  const mash = stack.pool('social-care-adapter');
  let last = '';
  let lastChange = Date.now();
  for (;;) {
    const [{ rows: sent }, { rows: received }, { rows: inbox }] = await Promise.all([
      school.query<{ referral_id: string; final: boolean }>(
        `SELECT referral_id, (delivered_at IS NOT NULL OR rejected_at IS NOT NULL) AS final
           FROM referral WHERE referral_id = ANY($1)`,
        [ids],
      ),
      mash.query<{ referral_id: string }>(
        `SELECT referral_id FROM received_referral WHERE mailbox_id = 'mash' AND referral_id = ANY($1)`,
        [ids],
      ),
      mash.query<{ subject_ref: string; n: number }>(
        `SELECT subject_ref, count(*)::int AS n FROM inbox_message
          WHERE mailbox_id = 'mash' AND subject_ref = ANY($1) GROUP BY subject_ref`,
        [refs],
      ),
    ]);
    const finals = new Set(sent.filter((row) => row.final).map((row) => row.referral_id));
    const got = new Set(received.map((row) => row.referral_id));
    const inboxOf = new Map(inbox.map((row) => [row.subject_ref, row.n]));
    const lost = referrals.filter(
      (r) => !got.has(r.referralId) || !inboxOf.get(r.subjectRef),
    ).length;
    const duplicated = referrals.filter((r) => (inboxOf.get(r.subjectRef) ?? 0) > 1).length;
    const stuck = referrals.filter((r) => !finals.has(r.referralId)).length;
    const state = `${lost} ${duplicated} ${stuck}`;
    if (state !== last) {
      last = state;
      lastChange = Date.now();
    }
    if ((lost === 0 && stuck === 0) || Date.now() - lastChange > quietMs) {
      return {
        lost,
        duplicated,
        stuck,
        describe:
          `${referrals.length} accepted: ${referrals.length - lost - duplicated} at the MASH once, ` +
          `${lost} lost, ${duplicated} twice, ${stuck} without a final status at the school`,
      };
    }
    await sleep(500);
  }
}

/** Each audit event once (event_id), and the chain verifying, as an auditor asks for it. */
async function checkAudit(
  stack: BenchStack,
): Promise<{ rows: number; duplicates: number; verified: boolean; detail: string }> {
  const pool: Pool = stack.pool('audit');
  const {
    rows: [counts],
  } = await pool.query<{ n: number; d: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM audit_record',
  );
  const token = await stack.issuer.token({ roles: ['auditor'], subject: 'chaos-auditor' });
  const response = await fetch(`${stack.service('audit').url}/audit/verify`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { ok?: boolean };
  return {
    rows: counts.n,
    duplicates: counts.n - counts.d,
    verified: response.status === 200 && body.ok === true,
    detail: `${response.status} ${JSON.stringify(body).slice(0, 200)}`,
  };
}
