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
  'console',
];
const supervisor = new Supervisor('npm start', { cwd: root, env: process.env });

const portOf = (name) => basePort + APPS.indexOf(name);
const urlOf = (name) => `http://127.0.0.1:${portOf(name)}`;

// Outside production every app trusts the hub's development issuer, wherever the stack's ports
// start; an AUTH_ISSUER in the environment or .env (Keycloak, Entra ID) wins.
if (!process.env.AUTH_ISSUER && process.env.NODE_ENV !== 'production') {
  process.env.AUTH_ISSUER = `${urlOf('hub')}/dev-issuer`;
  process.env.AUTH_JWKS_URL = `${urlOf('hub')}/dev-issuer/jwks.json`;
}

/** What the console needs to know of the others: where each API is, and its own address. */
function consoleEnv() {
  return {
    CONSOLE_PUBLIC_URL: process.env.CONSOLE_PUBLIC_URL || urlOf('console'),
    CONSOLE_POLICE_URL: urlOf('police-adapter'),
    CONSOLE_EDUCATION_URL: urlOf('education-adapter'),
    CONSOLE_HEALTH_URL: urlOf('health-adapter'),
    CONSOLE_SOCIAL_CARE_URL: urlOf('social-care-adapter'),
    CONSOLE_AUDIT_URL: urlOf('audit'),
    CONSOLE_HUB_URL: urlOf('hub'),
  };
}

function startApp(name, index) {
  const port = basePort + index;
  supervisor.service(
    name,
    process.execPath,
    ['-r', 'tsconfig-paths/register', path.join('dist', 'apps', name, 'src', 'main.js')],
    // Each app gets its own port; everything else comes from the shared environment or .env.
    {
      env: {
        ...process.env,
        ...(name === 'console' ? consoleEnv() : {}),
        HTTP_PORT: String(port),
        TS_NODE_BASEURL: path.join(root, 'dist'),
      },
    },
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
    '\nSafeguarding Exchange is starting. Each app serves /health and /metrics; each API also /docs (OpenAPI):',
  );
  // The console is pages, not an API: it has no /docs.
  for (const [name, url] of urls) {
    console.log(`  ${name.padEnd(20)} ${url}${name === 'console' ? '' : ` (${url}/docs)`}`);
  }
  console.log(`\nThe web console: ${urlOf('console')} (sign in as a demo person; see README).`);
  console.log('Ctrl-C (or SIGTERM to this process or to npm) stops everything it started.\n');
}

main().catch((error) => {
  console.error(`npm start: ${error.message}`);
  void supervisor.stop(1);
});
