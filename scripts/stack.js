#!/usr/bin/env node
/**
 * `npm start`: brings up the whole stack on this machine — the Kafka broker, the database and
 * its migrations, the topics, and all seven apps — prints each app's URL and keeps running
 * until SIGINT (Ctrl-C) or SIGTERM, which stop every app and the broker if this command started
 * it, at any moment (also during the build or a failed step), and say what is left running.
 */
const path = require('node:path');

const { prepareBrokerAndDatabase } = require('./prepare-steps');
const { Supervisor } = require('./supervisor');

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
const supervisor = new Supervisor('npm start', { cwd: root, env: process.env });

function startApp(name, index) {
  const port = basePort + index;
  supervisor.service(
    name,
    process.execPath,
    ['-r', 'tsconfig-paths/register', path.join('dist', 'apps', name, 'src', 'main.js')],
    // Each app gets its own port; everything else comes from the shared environment or .env.
    { env: { ...process.env, HTTP_PORT: String(port), TS_NODE_BASEURL: path.join(root, 'dist') } },
  );
  return `http://127.0.0.1:${port}`;
}

async function main() {
  await supervisor.step('build', path.join(root, 'node_modules', '.bin', 'tsc'), [
    '-p',
    'tsconfig.build.json',
  ]);
  await prepareBrokerAndDatabase(supervisor);

  console.log('\n== starting apps');
  const urls = APPS.map((name, index) => [name, startApp(name, index)]);
  console.log(
    '\nSafeguarding Exchange is starting. Each app serves /health, /metrics and /docs (OpenAPI):',
  );
  for (const [name, url] of urls) console.log(`  ${name.padEnd(20)} ${url}`);
  console.log('Ctrl-C (or SIGTERM to this process or to npm) stops everything it started.\n');
}

main().catch((error) => {
  console.error(`npm start: ${error.message}`);
  void supervisor.stop(1);
});
