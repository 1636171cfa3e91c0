#!/usr/bin/env node
/**
 * `npm test`: type-checks, starts (or reuses) the Kafka broker, checks PostgreSQL (starting a
 * stopped local cluster), prepares the test database and topics, starts Keycloak when the
 * console's browser tests are to run, then runs every jest tier.
 * Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
 * A broker or Keycloak this run started is stopped at the end, and on SIGINT or SIGTERM at any moment;
 * the last lines say what is left running.
 */
const path = require('node:path');

const { prepareBrokerAndDatabase } = require('./prepare-steps');
const { Supervisor, runToEnd } = require('./supervisor');

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
const supervisor = new Supervisor('npm test', { cwd: root, env });

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

/** The console's browser tests run when no project is selected, or when `browser` is. */
function browserTierSelected(args) {
  const at = args.indexOf('--selectProjects');
  if (at === -1) return true;
  return args.slice(at + 1).some((arg) => arg === 'browser');
}

const keycloak = (command) => ['deploy/keycloak/keycloak.sh', command];

/**
 * Keycloak, the real OIDC provider the browser tests sign in through: started unless it is
 * running, and then stopped on the way out, as the broker is.
 * @param {Supervisor} supervisor
 */
async function prepareKeycloak(supervisor) {
  const { cwd } = supervisor;
  const running = await runToEnd('bash', keycloak('status'), { cwd, env, stdio: 'ignore' }).then(
    () => true,
    () => false,
  );
  if (running) supervisor.leaves('Keycloak (it was running before npm test)');
  else supervisor.onStop('Keycloak', () => runToEnd('bash', keycloak('stop'), { cwd, env }));
  await supervisor.step('keycloak', 'bash', keycloak('start'));
}

async function main() {
  // The audit export test follows the documented offline recipe, which uses jq.
  await runToEnd('jq', ['--version'], { cwd: root, env, stdio: 'ignore' }).catch(() => {
    console.error('npm test: jq not found; install it (apt-get install jq)');
    process.exit(1);
  });

  await supervisor.step('type-check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  await prepareBrokerAndDatabase(supervisor);
  if (browserTierSelected(process.argv.slice(2))) await prepareKeycloak(supervisor);
  // --forceExit: a kafkajs consumer that restarted after a broker outage keeps its heartbeat
  // connection after disconnect() (seen in test/e2e/broker-outage); services exit on shutdown so
  // it only matters to jest, which would otherwise wait for it. See docs/testing.md.
  const code = await supervisor.step(
    'jest',
    bin('jest'),
    ['--runInBand', '--forceExit', ...process.argv.slice(2)],
    { mayFail: true },
  );
  if (code !== 0) console.error(`npm test: jest failed (exit ${code})`);
  // The tally stays the run's last figure line: printed after the broker is stopped.
  await supervisor.stop(code, undefined, printHostileTally);
}

main().catch((error) => {
  console.error(`npm test: ${error.message}`);
  void supervisor.stop(1);
});
