/**
 * Real: every service of the incident, referral and missing episode journeys as its own compiled process (two
 * hub instances and two education adapters in their consumer groups), the Kafka broker
 * (restarted with the project's script), PostgreSQL (reached through a TCP proxy the run cuts).
 * Faked: nothing. The short version of `npm run chaos` (bench/chaos.bench.ts): the same run with
 * few faults — each hub instance, each node and the audit service SIGKILLed once, the broker
 * restarted once, the database connection cut once — and a small count of messages, among them
 * missing episodes whose return home interviews fall due during the run (escalated once each).
 */
import { runChaos } from '../../bench/support/chaos-run';

describe('a short fault run (npm run chaos, small)', () => {
  it('loses, duplicates and strands nothing it accepted, escalates each interview that fell due once, and the audit chain verifies with each event once', async () => {
    const result = await runChaos({
      databaseName: 'sgx_test_chaos',
      brokers: 1,
      rate: 2,
      seconds: 40,
      hubKills: 2,
      nodeKills: 1,
      auditKills: 1,
      brokerRestarts: 1,
      databaseCuts: 1,
      outageSeconds: 5,
      quietSeconds: 60,
      log: () => undefined,
    });
    const summary = result.report.join('\n');
    // What each check found, so that a failure says which messages and which faults.
    const { escalations } = result;
    if (result.lost || result.duplicated || result.stuck || result.refused) console.error(summary);
    if (escalations.missing || escalations.twice) console.error(summary);
    expect(result.accepted).toBeGreaterThan(0);
    // Interviews fell due while the hubs were being killed, and each was escalated once.
    expect(escalations.due).toBeGreaterThan(0);
    expect({ ...result, report: summary }).toMatchObject({
      faults: 9,
      lost: 0,
      duplicated: 0,
      stuck: 0,
      refused: 0,
      auditVerified: true,
      auditDuplicates: 0,
      escalations: { missing: 0, twice: 0, once: escalations.due },
    });
  }, 900_000);
});
