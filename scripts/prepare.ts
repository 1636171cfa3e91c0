/**
 * The deploy step: creates the database if needed, runs every service's migrations in its own
 * schema, and creates the Kafka topics. Idempotent: safe to run before every start and test run.
 */
import 'reflect-metadata';
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

main().catch((error: unknown) => {
  console.error(`prepare failed: ${(error as Error).message}`);
  process.exit(1);
});
