#!/usr/bin/env node
/**
 * `npm test`: type-checks, starts (or reuses) the Kafka broker, checks PostgreSQL (starting a
 * stopped local cluster), prepares the test database and topics, then runs every jest tier.
 * Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

// A developer's .env (git-ignored) applies to every step, as it does to the apps.
if (require('node:fs').existsSync('.env')) process.loadEnvFile('.env');

const root = path.join(__dirname, '..');
const env = {
  ...process.env,
  // Tests get a database of their own, never the development stack's.
  DATABASE_URL:
    process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/safeguarding_test',
};
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
// The hostile-input suite records each generated case here; its tally is the run's last line.
const tallyFile = path.join(require('node:os').tmpdir(), `sgx-hostile-tally-${process.pid}.jsonl`);
env.SGX_HOSTILE_TALLY_FILE = tallyFile;

/** Prints `N passed, N failed` for the hostile cases of this run, if any ran. */
function printHostileTally() {
  const fs = require('node:fs');
  if (!fs.existsSync(tallyFile)) return;
  const cases = fs.readFileSync(tallyFile, 'utf8').split('\n').filter(Boolean).map(JSON.parse);
  fs.rmSync(tallyFile, { force: true });
  const passed = cases.filter((entry) => entry.ok).length;
  console.log('\n== hostile-input cases');
  console.log(`${passed} passed, ${cases.length - passed} failed`);
}

function step(title, command, args) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    if (title === 'jest') printHostileTally();
    console.error(`npm test: ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

// The audit export test follows the documented offline recipe, which uses jq.
if (spawnSync('jq', ['--version']).error) {
  console.error('npm test: jq not found; install it (apt-get install jq)');
  process.exit(1);
}

step('type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
step('kafka', 'bash', ['deploy/kafka/kafka.sh', 'start']);
step('postgres', 'bash', ['deploy/postgres/db-check.sh']);
step('prepare database and topics', process.execPath, [
  '-r',
  './scripts/run-ts.js',
  'scripts/prepare.ts',
]);
// --forceExit: a kafkajs consumer that restarted after a broker outage keeps its heartbeat
// connection after disconnect() (seen in test/e2e/broker-outage); services exit on shutdown so
// it only matters to jest, which would otherwise wait for it. See docs/testing.md.
step('jest', bin('jest'), ['--runInBand', '--forceExit', ...process.argv.slice(2)]);
printHostileTally();
