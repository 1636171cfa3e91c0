import { randomUUID } from 'node:crypto';

import { dataSourceOptions } from '@app/persistence';
import { DataSource } from 'typeorm';

import { HUB_TABLES } from '../../apps/hub/src/hub.tables';

/** The hub's schema (the registry) in the test database, as the hub itself opens it. */
export function openHubDatabase(): Promise<DataSource> {
  return new DataSource(
    dataSourceOptions(
      { ...HUB_TABLES, schema: 'hub' },
      { url: process.env.DATABASE_URL!, poolSize: 2 },
    ),
  ).initialize();
}

/** Test nodes of their own (unique ids), so tests never depend on or disturb the seed data. */
export async function createTestNodes(db: DataSource, names: string[]): Promise<string[]> {
  const suffix = randomUUID().slice(0, 8);
  const agencyId = `test-agency-${suffix}`;
  await db.query(`INSERT INTO agency (id, name, kind, area) VALUES ($1, $2, 'other', 'test')`, [
    agencyId,
    'Test agency',
  ]);
  const ids = names.map((name) => `t${suffix}-${name}`);
  for (const id of ids) {
    await db.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES ($1, $2, $1)`, [
      id,
      agencyId,
    ]);
  }
  return ids;
}

/** Removes what createTestNodes made, keys included. */
export async function removeTestNodes(db: DataSource, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const agencies: { agency_id: string }[] = await db.query(
    'SELECT DISTINCT agency_id FROM node WHERE id = ANY($1)',
    [ids],
  );
  await db.query('DELETE FROM node_key WHERE node_id = ANY($1)', [ids]);
  await db.query('DELETE FROM mailbox WHERE node_id = ANY($1)', [ids]);
  await db.query('DELETE FROM node WHERE id = ANY($1)', [ids]);
  await db.query('DELETE FROM agency WHERE id = ANY($1)', [agencies.map((a) => a.agency_id)]);
}
