/**
 * Losing one broker of three under load loses nothing and stops nothing (issue 11 item 6).
 *
 * On the three-broker cluster of deploy/kafka/kafka.sh (KAFKA_CLUSTER=3: replication factor 3,
 * min.insync.replicas=2, acks=all producers; started here unless it runs) it runs the hub, the
 * audit service and the police, education, health and social care adapters, each its own
 * compiled process, in a database of its own (sgx_bench_broker_loss). It drives incidents at
 * BROKER_LOSS_RATE (10) per second for BROKER_LOSS_SECONDS (60); a third of the way in it
 * SIGKILLs the broker that leads most partitions of the submissions topic (BROKER_LOSS_MODE=stop
 * stops it cleanly instead) and keeps driving on the two that are left. Then it waits until
 * nothing moves for BROKER_LOSS_QUIET_S (45) seconds, checks every accepted incident against
 * the three mailboxes it must reach (the pupil's school, school nursing, the MASH): one inbox
 * row in each, and the police node's delivered receipt for each; and starts the broker again.
 * The last line is `accepted <n>; delivered <n>; lost <n>; duplicated <n>`; the exit code is 0
 * only when nothing was lost or duplicated.
 *
 *   KAFKA_CLUSTER=3 node -r ./scripts/run-ts.js bench/broker-loss.bench.ts   (npm run bench:broker-loss)
 */
import 'reflect-metadata';
import { Topics } from '@app/contracts';
import { withKafkaAdmin } from '@app/messaging';

import { BenchStack, INCIDENT_JOURNEY_APPS, loadavg, sleep } from './support/bench-stack';
import { KafkaCluster } from './support/kafka-cluster';
import { deliveryCheck, DeliveryCheck, TrackedIncident } from './support/delivery-check';

const RATE = Number(process.env.BROKER_LOSS_RATE ?? 10);
const SECONDS = Number(process.env.BROKER_LOSS_SECONDS ?? 60);
const QUIET_S = Number(process.env.BROKER_LOSS_QUIET_S ?? 45);
const MODE = process.env.BROKER_LOSS_MODE === 'stop' ? 'stop' : 'kill';
const TIMEOUT_S = Number(process.env.BROKER_LOSS_TIMEOUT_S ?? 900);
const COMMAND = 'KAFKA_CLUSTER=3 npm run bench:broker-loss';
const SERVICES = INCIDENT_JOURNEY_APPS;

function latencies(rows: readonly TrackedIncident[], check: DeliveryCheck): string {
  const sorted = rows
    .filter((row) => check.deliveredAt.has(row.messageId))
    .map((row) => check.deliveredAt.get(row.messageId)! - row.sentAt)
    .sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  if (sorted.length === 0) return 'none';
  return `n=${sorted.length} p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted[sorted.length - 1]} ms`;
}

const cluster = new KafkaCluster(3);
const stack = new BenchStack('sgx_bench_broker_loss', SERVICES);

/** The broker that leads most partitions of the submissions topic: losing it hurts most. */
async function busiestBroker(): Promise<number> {
  return withKafkaAdmin(stack.kafkaSettings, async (admin) => {
    const { topics } = await admin.fetchTopicMetadata({ topics: [Topics.submissions] });
    const led = new Map<number, number>();
    for (const { leader } of topics[0].partitions) led.set(leader, (led.get(leader) ?? 0) + 1);
    return [...led].sort(([, a], [, b]) => b - a)[0][0];
  });
}

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.log(`\nTIMED OUT after ${TIMEOUT_S} s (command: ${COMMAND})`);
    stack.killAll();
    process.exit(2);
  }, TIMEOUT_S * 1000);

  await cluster.ensureRunning();
  process.env.KAFKA_BROKERS = cluster.brokers.join(',');
  const { created } = await stack.prepare(3);
  console.log(
    `database ${stack.databaseName} (${created ? 'created' : 'exists'}), brokers ` +
      `${cluster.brokers.join(',')} (replication factor 3, min.insync.replicas 2), load average ${loadavg()}`,
  );
  await stack.seedArea();
  stack.build();
  const started = Date.now();
  await stack.start(SERVICES.map((name) => ({ name, app: name })));
  console.log(`${SERVICES.length} services up as processes in ${(Date.now() - started) / 1000} s`);

  const police = stack.service('police-adapter');
  const token = await stack.policeToken();
  const incidents: TrackedIncident[] = [];
  const refused: string[] = [];
  let lostAt = 0;

  async function submit(): Promise<void> {
    const sentAt = Date.now();
    const afterLoss = lostAt > 0;
    const { messageIds, refusal } = await stack.submitIncident(police.url, token);
    if (refusal) return void refused.push(refusal);
    for (const messageId of messageIds) incidents.push({ messageId, sentAt, afterLoss });
  }

  const victim = await busiestBroker();
  console.log(
    `\ndriving ${RATE} incidents/s for ${SECONDS} s; broker ${victim} (leads most ` +
      `${Topics.submissions} partitions) is ${MODE === 'kill' ? 'SIGKILLed' : 'stopped'} after ${Math.round(SECONDS / 3)} s`,
  );
  const driveStart = Date.now();
  const total = RATE * SECONDS;
  const sends: Promise<void>[] = [];
  let loss: Promise<unknown> | null = null;
  for (let i = 0; i < total; i++) {
    const due = driveStart + (i * 1000) / RATE;
    await sleep(Math.max(0, due - Date.now()));
    if (!loss && Date.now() - driveStart >= (SECONDS * 1000) / 3) {
      lostAt = Date.now();
      loss = MODE === 'kill' ? cluster.killBroker(victim) : cluster.stopBroker(victim);
      void loss.then(() =>
        console.log(`  broker ${victim} gone after ${((Date.now() - lostAt) / 1000).toFixed(1)} s`),
      );
    }
    sends.push(submit());
  }
  await Promise.all(sends);
  const driveEnd = Date.now();
  await loss;
  console.log(
    `  submitted ${total} in ${((Date.now() - driveStart) / 1000).toFixed(1)} s: ` +
      `${incidents.length} accepted, ${refused.length} refused; load average ${loadavg()}`,
  );

  console.log(`\nwaiting for quiescence (nothing new for ${QUIET_S} s)`);
  const check: DeliveryCheck = await deliveryCheck(stack, incidents, QUIET_S * 1000);
  const settledAt = Math.max(...check.deliveredAt.values());
  const afterLoss = incidents.filter((incident) => incident.afterLoss);
  const deliveredAfterLoss = afterLoss.filter((incident) =>
    check.fullyDelivered.has(incident.messageId),
  ).length;

  console.log(`\nstarting broker ${victim} again`);
  await cluster.startBroker(victim);

  clearTimeout(watchdog);
  console.log(`\nSummary (${new Date().toISOString()}):`);
  console.log(
    `  ${incidents.length} incidents accepted, ${afterLoss.length} of them after broker ${victim} was lost, ` +
      `${deliveredAfterLoss} of those delivered to all ${stack.incidentMailboxes.length} mailboxes`,
  );
  console.log(`  ${check.describe()}`);
  for (const [phase, rows] of [
    ['before the loss', incidents.filter((incident) => !incident.afterLoss)],
    ['after the loss', afterLoss],
  ] as const) {
    console.log(`  submit → delivered to all mailboxes, ${phase}: ${latencies(rows, check)}`);
  }
  console.log(
    `  the last receipt came ${((settledAt - driveEnd) / 1000).toFixed(1)} s after the last submission`,
  );
  if (refused.length)
    console.log(`  refused (${refused.length}): ${refused.slice(0, 3).join(' | ')}`);
  console.log(`  load average ${loadavg()}`);
  console.log(`  ${await cluster.release()}`);
  console.log(`command: ${COMMAND}`);
  console.log(
    `accepted ${incidents.length}; delivered ${check.delivered}; lost ${check.lost}; duplicated ${check.duplicated}`,
  );
  await stack.stop();
  process.exit(check.lost === 0 && check.duplicated === 0 && deliveredAfterLoss > 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`broker-loss bench failed: ${(error as Error).stack ?? String(error)}`);
  stack.killAll();
  process.exit(1);
});
