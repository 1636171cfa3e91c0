#!/usr/bin/env node
/**
 * `npm start`: brings up the whole stack on this machine — the Kafka broker, the database and
 * its migrations, the topics, and all seven apps — prints each app's URL and keeps running
 * until Ctrl-C, which stops every app and the broker if this command started it.
 */
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

// A developer's .env (git-ignored) applies to every step, as it does to the apps.
if (require('node:fs').existsSync('.env')) process.loadEnvFile('.env');

const root = path.join(__dirname, '..');
const basePort = Number(process.env.STACK_BASE_PORT || 3000);
const APPS = [
  'hub',
  'police-adapter',
  'education-adapter',
  'health-adapter',
  'social-care-adapter',
  'marac',
  'audit',
];
const children = new Map();
let brokerStartedHere = false;
let stopping = false;

function run(title, command, args) {
  console.log(`== ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`npm start: ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function brokerRunning() {
  return spawnSync('bash', ['deploy/kafka/kafka.sh', 'status'], { cwd: root }).status === 0;
}

function startApp(name, index) {
  const port = basePort + index;
  const child = spawn(
    process.execPath,
    ['-r', 'tsconfig-paths/register', path.join('dist', 'apps', name, 'src', 'main.js')],
    {
      cwd: root,
      // Each app gets its own port; everything else comes from the shared environment or .env.
      env: { ...process.env, HTTP_PORT: String(port), TS_NODE_BASEURL: path.join(root, 'dist') },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`npm start: ${name} exited (${code ?? signal}); stopping the stack`);
      shutdown(1);
    }
  });
  children.set(name, child);
  return `http://127.0.0.1:${port}`;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\n== stopping apps');
  for (const child of children.values()) child.kill('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const child of children.values()) child.kill('SIGKILL');
  if (brokerStartedHere) run('stopping Kafka', 'bash', ['deploy/kafka/kafka.sh', 'stop']);
  process.exit(code);
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

run('build', path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json']);
brokerStartedHere = !brokerRunning();
run('kafka', 'bash', ['deploy/kafka/kafka.sh', 'start']);
run('postgres', 'bash', ['deploy/postgres/db-check.sh']);
run('prepare database and topics', process.execPath, [
  '-r',
  './scripts/run-ts.js',
  'scripts/prepare.ts',
]);

console.log('== starting apps');
const urls = APPS.map((name, index) => [name, startApp(name, index)]);
console.log(
  '\nSafeguarding Exchange is starting. Each app serves /health, /metrics and /docs (OpenAPI):',
);
for (const [name, url] of urls) console.log(`  ${name.padEnd(20)} ${url}`);
console.log('Press Ctrl-C to stop everything this command started.\n');
