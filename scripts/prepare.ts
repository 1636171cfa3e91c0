/**
 * The deploy step: creates the database if needed, runs every service's migrations in its own
 * schema, and creates the Kafka topics. Idempotent: safe to run before every start and test run.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { exchangeTopicSpecs } from '@app/contracts';
import { ensureTopics, parseBrokers } from '@app/messaging';
import { databaseName, ensureDatabase, runMigrations } from '@app/persistence';

import { SERVICES, serviceEnv } from './services';

async function main(): Promise<void> {
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
  const topics = await ensureTopics(
    { brokers: parseBrokers(first.KAFKA_BROKERS) },
    exchangeTopicSpecs(),
    replicationFactor,
  );
  console.log(
    `topics: ${topics.created.length} created, ${topics.existing.length} already present`,
  );
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
