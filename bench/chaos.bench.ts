/**
 * The fault-injection run (issue 15 items 1 and 2), bounded in count and time: the exchange as
 * separate processes (two hubs, two education adapters), incidents, referrals and missing
 * episodes (police and social care reporting, later reports found) at a steady rate, each found
 * police episode's return home interview falling due during the run, and meanwhile SIGKILLs of the hub (CHAOS_HUB_KILLS, 5), of each node (CHAOS_NODE_KILLS,
 * 3 each; the two education adapters share theirs) and of the audit service (CHAOS_AUDIT_KILLS,
 * 3), every broker restarted once, the PostgreSQL connection cut once (through a TCP proxy) and,
 * on the three-broker cluster (CHAOS_BROKERS=3, the default), one broker killed for a while. Then
 * it checks every accepted message (bench/support/chaos-run.ts) and that each interview that
 * fell due was escalated exactly once (bench/support/episode-check.ts). Its own database (sgx_chaos) and
 * its own Kafka: the cluster of kafka.sh on KAFKA_PORT, +2, +4, started here unless it runs.
 * The last line is `faults <n>; accepted <n>; lost <n>; duplicated <n>; stuck <n>`; the exit
 * code is 0 only when nothing was lost, duplicated, stuck or refused (every message sent is
 * valid) and the audit chain verifies with each event once. A message that did not arrive or
 * was not answered is traced hop by hop and the hop it stopped at printed. Gives up after CHAOS_TIMEOUT_S (1500) seconds.
 *
 *   npm run chaos      (= node -r ./scripts/run-ts.js bench/chaos.bench.ts)
 */
import 'reflect-metadata';

import { runChaos } from './support/chaos-run';

const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TIMEOUT_S = number('CHAOS_TIMEOUT_S', 1500);
const COMMAND = 'npm run chaos';

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.log(`\nTIMED OUT after ${TIMEOUT_S} s (command: ${COMMAND})`);
    process.exit(2);
  }, TIMEOUT_S * 1000);
  const result = await runChaos({
    databaseName: 'sgx_chaos',
    brokers: number('CHAOS_BROKERS', 3) === 1 ? 1 : 3,
    rate: number('CHAOS_RATE', 4),
    seconds: number('CHAOS_SECONDS', 240),
    hubKills: number('CHAOS_HUB_KILLS', 5),
    nodeKills: number('CHAOS_NODE_KILLS', 3),
    auditKills: number('CHAOS_AUDIT_KILLS', 3),
    brokerRestarts: number('CHAOS_BROKER_RESTARTS', 1),
    databaseCuts: number('CHAOS_DATABASE_CUTS', 1),
    outageSeconds: number('CHAOS_OUTAGE_SECONDS', 15),
    quietSeconds: number('CHAOS_QUIET_SECONDS', 90),
  });
  clearTimeout(watchdog);
  console.log(`\ncommand: ${COMMAND}`);
  const ok =
    result.lost === 0 &&
    result.duplicated === 0 &&
    result.stuck === 0 &&
    result.refused === 0 &&
    result.escalations.missing === 0 &&
    result.escalations.twice === 0 &&
    result.auditVerified &&
    result.auditDuplicates === 0;
  // Every message the run sends is valid: a refusal is a fault's doing, reported on its own.
  if (result.refused > 0) console.log(`refused with a reason ${result.refused}`);
  const { due, once, missing, twice } = result.escalations;
  console.log(`escalations due ${due}; once ${once}; missing ${missing}; twice ${twice}`);
  console.log(
    `faults ${result.faults}; accepted ${result.accepted}; lost ${result.lost}; ` +
      `duplicated ${result.duplicated}; stuck ${result.stuck}`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`chaos run failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
