import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { dataSourceOptions, DatabaseSettings, ServicePersistence } from './service-persistence';

/** The database name of a postgres:// URL. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(name)) {
    throw new Error(`DATABASE_URL must name a database (letters, digits, _ and -), got "${name}"`);
  }
  return name;
}

/** Creates the database named in the URL if it does not exist, through the server's "postgres" database. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new Client({
    connectionString: adminUrl.toString(),
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await client.end();
  }
}

/** Creates the service's schema if needed and runs its pending migrations; returns their names. */
export async function runMigrations(
  persistence: ServicePersistence,
  database: DatabaseSettings,
): Promise<string[]> {
  const dataSource = new DataSource(dataSourceOptions(persistence, { ...database, poolSize: 2 }));
  await dataSource.initialize();
  try {
    // The migrations table lives in the schema, so the schema must exist before TypeORM looks.
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${persistence.schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
