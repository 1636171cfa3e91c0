/**
 * The steps `npm start` and `npm test` share after building: the broker (started unless one is
 * running, and then stopped on the way out), the database check, and the deploy step
 * (migrations, topics, demo area). Each says what it leaves running.
 */
const { runToEnd } = require('./supervisor');

const kafka = (command) => ['deploy/kafka/kafka.sh', command];

/** @param {import('./supervisor').Supervisor} supervisor */
async function prepareBrokerAndDatabase(supervisor) {
  const { cwd, env, name } = supervisor;
  supervisor.leaves(`PostgreSQL (a database server is never stopped by ${name})`);
  const brokers = env.KAFKA_BROKERS || '127.0.0.1:9092';
  const brokerRunning = await runToEnd('bash', kafka('status'), { cwd, env, stdio: 'ignore' }).then(
    () => true,
    () => false,
  );
  if (brokerRunning) {
    supervisor.leaves(`the Kafka broker on ${brokers} (it was running before ${name})`);
  } else {
    // Registered before the start, so an interrupted or failed start is cleaned up too.
    supervisor.onStop(`the Kafka broker on ${brokers}`, () =>
      runToEnd('bash', kafka('stop'), { cwd, env }),
    );
  }
  await supervisor.step('kafka', 'bash', kafka('start'));
  await supervisor.step('postgres', 'bash', ['deploy/postgres/db-check.sh']);
  await supervisor.step('prepare database and topics', process.execPath, [
    '-r',
    './scripts/run-ts.js',
    'scripts/prepare.ts',
  ]);
}

module.exports = { prepareBrokerAndDatabase };
