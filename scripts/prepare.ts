/**
 * The deploy step: creates the database if needed, runs every service's migrations in its own
 * schema, and, as the Kafka admin principal, creates the topics, the services' SCRAM principals
 * (KAFKA_REGISTER_USERS=false skips that, for a managed Kafka whose users are made in its console)
 * and the ACLs of kafkaAccessRules. Idempotent: safe to run before every start and test run.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { exchangeTopicSpecs } from '@app/contracts';
import { ensureTopics, parseBrokers, withKafkaAdmin } from '@app/messaging';
import { databaseName, ensureDatabase, runMigrations } from '@app/persistence';

import {
  adminSecurity,
  applyAccessRules,
  ensureServicePasswords,
  registerServicePrincipals,
} from './kafka-principals';
import { SERVICES, serviceEnv } from './services';

async function main(): Promise<void> {
  const credentialsDir = process.env.KAFKA_CREDENTIALS_DIR || '.keys/kafka';
  const registerUsers = process.env.KAFKA_REGISTER_USERS !== 'false';
  // Before any service's environment is validated: it refuses to load without its password.
  if (registerUsers) await ensureServicePasswords(credentialsDir);
  const first = serviceEnv(SERVICES[0]);
  const created = await ensureDatabase(first.DATABASE_URL);
  console.log(`database ${databaseName(first.DATABASE_URL)}: ${created ? 'created' : 'exists'}`);

  for (const service of SERVICES) {
    const env = serviceEnv(service);
    const applied = await runMigrations(
      { ...service.tables, schema: env.DATABASE_SCHEMA },
      { url: env.DATABASE_URL },
    );
    console.log(
      `migrations ${service.name} (schema ${env.DATABASE_SCHEMA}): ${applied.length ? applied.join(', ') : 'up to date'}`,
    );
  }

  const replicationFactor = Number(process.env.KAFKA_REPLICATION_FACTOR ?? '1');
  const admin = {
    brokers: parseBrokers(first.KAFKA_BROKERS),
    security: adminSecurity(first, process.env),
  };
  if (registerUsers) await registerServicePrincipals(admin.brokers, credentialsDir, admin.security);
  await withKafkaAdmin(admin, async (client) => {
    const topics = await ensureTopics(client, exchangeTopicSpecs(), replicationFactor);
    console.log(
      `topics: ${topics.created.length} created, ${topics.existing.length} already present`,
    );
    await applyAccessRules(client);
  });
}

/**
 * Runs another script of this folder as its own process, as an operator would: from the
 * sources through ts-node, or, compiled (dist/scripts in the container image), its compiled twin.
 */
function runScript(script: string): void {
  const compiled = __filename.endsWith('.js');
  const args = compiled
    ? ['-r', 'tsconfig-paths/register', path.join(__dirname, script.replace(/\.ts$/, '.js'))]
    : ['-r', './scripts/run-ts.js', `scripts/${script}`];
  const result = spawnSync(process.execPath, args, {
    cwd: path.join(__dirname, compiled ? '../..' : '..'),
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`${script} failed`);
}

main()
  .then(() => {
    // A development machine gets a working demo area: the registry and every node's keys.
    // Never in production, where both are an operator's decisions.
    if (process.env.NODE_ENV === 'production') return;
    runScript('registry-seed.ts');
    runScript('dev-keys.ts');
  })
  .catch((error: unknown) => {
    console.error(`prepare failed: ${(error as Error).message}`);
    process.exit(1);
  });
