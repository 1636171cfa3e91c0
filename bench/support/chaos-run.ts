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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Pool } from 'pg';

import { freePort } from '../../test/support/service-harness';
import { TcpProxy } from '../../test/support/tcp-proxy';
import { validBodies } from '../../test/support/valid-bodies';

import { BenchStack, INCIDENT_JOURNEY_APPS, loadavg, ServiceInstance, sleep } from './bench-stack';
import { diagnoseJourney, EVERY_HOP, Journey, SetAsideRecords } from './chaos-diagnosis';
import { deliveryCheck, TrackedIncident } from './delivery-check';
import { episodeCheck } from './episode-check';
import { KafkaCluster } from './kafka-cluster';
import { MissingEpisodeLoad } from './missing-episode-load';

export interface ChaosOptions {
  databaseName: string;
  /** 3: the cluster of kafka.sh (one broker is also lost); 1: the single broker. */
  brokers: 1 | 3;
  /** Incidents, referrals and missing episode reports offered per second, together, for `seconds`. */
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
  /**
   * Refused by the exchange with a reason that reached the sender: final and not a loss, but
   * every message the run sends is valid, so a refusal here is a fault's doing.
   */
  refused: number;
  auditVerified: boolean;
  auditDuplicates: number;
  /**
   * Return home interviews that fell due during the run (police episodes reported found):
   * escalated exactly once, not at all, more than once.
   */
  escalations: { due: number; once: number; missing: number; twice: number };
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
  // Each process's log in a file of its own, kept when the run fails.
  const logDir = mkdtempSync(path.join(tmpdir(), 'sgx-chaos-logs-'));
  let passed = false;

  try {
    await stack.prepare(options.brokers);
    await stack.seedArea();
    stack.build();
    await proxy.up();
    // Every service reaches the database through the proxy; the run's own checks do not.
    const env = (name: string) => ({
      DATABASE_URL: proxied.toString(),
      LOG_DESTINATION: path.join(logDir, `${name}.log`),
      // The hubs look for overdue deadlines often, so interviews falling due are escalated
      // within the drive, while hubs are being killed.
      ...(name.startsWith('hub-') ? { DEADLINE_CHECK_INTERVAL_MS: '2000' } : {}),
    });
    const instances: ServiceInstance[] = [
      ['hub-1', 'hub'],
      ['hub-2', 'hub'],
      ['audit', 'audit'],
      ['police-adapter', 'police-adapter'],
      ['education-adapter-1', 'education-adapter'],
      ['education-adapter-2', 'education-adapter'],
      ['health-adapter', 'health-adapter'],
      ['social-care-adapter', 'social-care-adapter'],
    ].map(([name, app]) => ({ name, app, env: env(name) }));
    const started = Date.now();
    const setAside = new SetAsideRecords(stack.kafkaSettings, started);
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
    const episodeLoad = new MissingEpisodeLoad(
      stack,
      {
        'police-adapter': policeToken,
        'social-care-adapter': await stack.issuer.token({
          roles: ['agency-system'],
          agency: 'northshire-childrens-social-care',
          subject: 'chaos-case-system',
        }),
      },
      // Each found police episode's interview falls due a tenth of the drive later.
      Math.max(5_000, driveMs / 10),
      refused,
    );
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
      if (i % 3 === 2) sends.push(episodeLoad.step());
      else if (i % 3 === 0) {
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
      `offered ${total} in ${options.seconds} s: ${incidents.length} incidents, ${referrals.length} ` +
        `referrals and ${episodeLoad.episodes.reduce((n, e) => n + e.reports.length, 0)} missing ` +
        `episode reports accepted, ${refused.length} refused (a killed node answers nothing); ` +
        `load average ${loadavg()}`,
    );
    say(`faults (${faults.length}):`);
    for (const line of faultLog) say(`  ${line}`);

    // --- quiescence and the checks ---------------------------------------------------------
    const incidentCheck = await deliveryCheck(stack, incidents, options.quietSeconds * 1000);
    say(`incidents: ${incidentCheck.describe()}`);
    const referralCheck = await checkReferrals(stack, referrals, options.quietSeconds * 1000);
    say(`referrals: ${referralCheck.describe}`);
    const episodes = await episodeCheck(stack, episodeLoad.episodes, options.quietSeconds * 1000);
    say(`missing episodes: ${episodes.describe()}`);
    for (const line of episodes.escalations.problems.slice(0, MAX_DIAGNOSED_LINES)) {
      say(`  ${line}`);
    }
    const audit = await checkAudit(stack);
    say(
      `audit: ${audit.rows} events in the trail, ${audit.duplicates} twice; chain ` +
        `${audit.verified ? 'verifies' : `does NOT verify: ${audit.detail}`}`,
    );

    // --- where each message that did not arrive or was not answered stopped ---------------
    const journeys: (Journey & { kind: string })[] = [
      ...incidentCheck.problems.map((problem) => ({
        kind: problem.kind,
        messageId: problem.messageId,
        subjectRef: problem.subjectRef,
        senderApp: 'police-adapter',
        senderNode: 'police',
        mailboxId: problem.mailboxId,
        recipientApp: problem.service,
      })),
      ...referralCheck.problems.map((problem) => ({
        kind: problem.kind,
        messageId: problem.referralId,
        subjectRef: problem.subjectRef,
        senderApp: 'education-adapter',
        senderNode: 'education',
        mailboxId: 'mash',
        recipientApp: 'social-care-adapter',
      })),
      ...episodes.problems.map((problem) => ({
        kind: `${problem.kind} episode (${problem.why})`,
        messageId: problem.messageId,
        subjectRef: problem.subjectRef,
        senderApp: problem.reporter,
        senderNode: problem.reporter === 'police-adapter' ? 'police' : 'social-care',
        mailboxId: problem.mailboxId,
        recipientApp: problem.service,
      })),
    ];
    if (journeys.length > 0) {
      say(`where they stopped (${journeys.length}; process logs in ${logDir}):`);
      const hops = new Map<string, number>();
      for (const [index, journey] of journeys.entries()) {
        const hop = await diagnoseJourney(stack, setAside, journey).catch(
          (error: unknown) => `diagnosis failed: ${String(error).slice(0, 200)}`,
        );
        // Ids and positions vary; the words before them say which hop it was.
        const kindOfHop = hop.replace(/[0-9a-f-]{36}/g, '<id>').replace(/\d+/g, 'N');
        hops.set(kindOfHop, (hops.get(kindOfHop) ?? 0) + 1);
        if (index < MAX_DIAGNOSED_LINES) {
          say(`  ${journey.kind} ${journey.messageId} to ${journey.mailboxId}: ${hop}`);
        }
      }
      say('  by hop:');
      for (const [hop, n] of [...hops].sort((a, b) => b[1] - a[1])) say(`    ${n} x ${hop}`);
    }
    // The tracing itself, shown on one message that arrived: it must find every hop.
    const arrived = incidents.find(({ messageId }) => incidentCheck.fullyDelivered.has(messageId));
    if (arrived) {
      const [mailbox] = stack.incidentMailboxes;
      const { rows } = await stack
        .pool('police-adapter')
        .query<{ subject_ref: string }>(
          'SELECT subject_ref FROM incident_notification WHERE message_id = $1',
          [arrived.messageId],
        );
      const hop = await diagnoseJourney(stack, setAside, {
        messageId: arrived.messageId,
        subjectRef: rows[0].subject_ref,
        senderApp: 'police-adapter',
        senderNode: 'police',
        mailboxId: mailbox.mailboxId,
        recipientApp: mailbox.service,
      });
      say(
        `a delivered incident traced hop by hop: ${hop === EVERY_HOP ? 'every hop found' : `NOT ${hop}`}`,
      );
    }
    const result = {
      faults: faults.length,
      accepted:
        incidents.length +
        referrals.length +
        episodeLoad.episodes.filter((e) => e.reports.length > 0).length,
      lost: incidentCheck.lost + referralCheck.lost + episodes.lost,
      duplicated: incidentCheck.duplicated + referralCheck.duplicated + episodes.duplicated,
      stuck: incidentCheck.unreceipted + referralCheck.stuck + episodes.stuck,
      refused: incidentCheck.refused + referralCheck.refused + episodes.refused,
      auditVerified: audit.verified,
      auditDuplicates: audit.duplicates,
      escalations: {
        due: episodes.escalations.due,
        once: episodes.escalations.once,
        missing: episodes.escalations.missing,
        twice: episodes.escalations.twice,
      },
      report,
    };
    passed =
      result.lost + result.duplicated + result.stuck + result.refused === 0 &&
      result.escalations.missing + result.escalations.twice === 0 &&
      result.auditVerified &&
      result.auditDuplicates === 0;
    return result;
  } finally {
    await proxy.up().catch(() => undefined);
    await stack.stop().catch(() => stack.killAll());
    await proxy.down();
    log(await cluster.release());
    if (passed) rmSync(logDir, { recursive: true, force: true });
    else log(`process logs kept in ${logDir}`);
  }
}

/** Lost or stuck messages whose way is printed one by one; the rest are counted by hop. */
const MAX_DIAGNOSED_LINES = 25;

/** A referral that is not at the MASH once with its delivered receipt back at the school. */
interface ReferralProblem extends TrackedReferral {
  kind: 'lost' | 'duplicated' | 'stuck' | 'refused';
}

/**
 * A referral is delivered when the MASH's node holds it once (received_referral, and one inbox
 * row for its child) and the school's node has its delivered receipt; refused when the school's
 * node holds the exchange's rejection of it (final, with its code, and reported).
 */
async function checkReferrals(
  stack: BenchStack,
  referrals: TrackedReferral[],
  quietMs: number,
): Promise<{
  lost: number;
  duplicated: number;
  stuck: number;
  refused: number;
  problems: ReferralProblem[];
  describe: string;
}> {
  const ids = referrals.map((r) => r.referralId);
  const refs = referrals.map((r) => r.subjectRef);
  const school = stack.pool('education-adapter');
  const mash = stack.pool('social-care-adapter');
  let last = '';
  let lastChange = Date.now();
  for (;;) {
    const [{ rows: sent }, { rows: received }, { rows: inbox }] = await Promise.all([
      school.query<{ referral_id: string; delivered: boolean; code: string | null }>(
        `SELECT referral_id, delivered_at IS NOT NULL AS delivered,
                CASE WHEN rejected_at IS NOT NULL THEN COALESCE(rejection_code, 'REJECTED') END AS code
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
    const delivered = new Set(sent.filter((row) => row.delivered).map((row) => row.referral_id));
    const refusedWith = new Map(
      sent.filter((row) => row.code).map((row) => [row.referral_id, row.code!]),
    );
    const got = new Set(received.map((row) => row.referral_id));
    const inboxOf = new Map(inbox.map((row) => [row.subject_ref, row.n]));
    const problems: ReferralProblem[] = [];
    for (const referral of referrals) {
      const n = inboxOf.get(referral.subjectRef) ?? 0;
      if (n > 1) problems.push({ ...referral, kind: 'duplicated' });
      else if (refusedWith.has(referral.referralId))
        problems.push({ ...referral, kind: 'refused' });
      else if (!got.has(referral.referralId) || n === 0)
        problems.push({ ...referral, kind: 'lost' });
      else if (!delivered.has(referral.referralId)) problems.push({ ...referral, kind: 'stuck' });
    }
    const counted = (kind: ReferralProblem['kind']) =>
      problems.filter((problem) => problem.kind === kind).length;
    const [lost, duplicated, stuck, refused] = (
      ['lost', 'duplicated', 'stuck', 'refused'] as const
    ).map(counted);
    const state = `${lost} ${duplicated} ${stuck} ${refused}`;
    if (state !== last) {
      last = state;
      lastChange = Date.now();
    }
    if (lost + stuck === 0 || Date.now() - lastChange > quietMs) {
      const codes = [...new Set(refusedWith.values())].join(', ');
      return {
        lost,
        duplicated,
        stuck,
        refused,
        problems,
        describe:
          `${referrals.length} accepted: ${referrals.length - problems.length} at the MASH once ` +
          `with the school's delivered receipt, ${lost} lost, ${duplicated} twice, ${refused} ` +
          `refused with a reason${codes ? ` (${codes})` : ''}, ${stuck} without a final status at the school`,
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
