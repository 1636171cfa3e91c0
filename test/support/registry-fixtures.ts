import { randomUUID } from 'node:crypto';

import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  NodeKeyPair,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import { dataSourceOptions } from '@app/persistence';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';
import { JWK } from 'jose';
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

/**
 * A node's key files as `npm run keys -- generate` writes them (both private halves and
 * current.json) in a test's KEYS_DIR, nothing registered: for a node whose hub is played.
 */
export async function writeNodeKeyFiles(
  keysDir: string,
  nodeId: string,
): Promise<{ signing: NodeKeyPair; encryption: NodeKeyPair }> {
  const signing = await generateSigningKeyPair();
  const encryption = await generateEncryptionKeyPair();
  await writePrivateKeyFile(keysDir, nodeId, signing);
  await writePrivateKeyFile(keysDir, nodeId, encryption);
  await writeCurrentKids(keysDir, nodeId, { signing: signing.kid, encryption: encryption.kid });
  return { signing, encryption };
}

/**
 * Fresh keys for a node, as `npm run keys -- generate` makes them: the private halves into the
 * test's KEYS_DIR, the public halves registered as the node's current keys (whatever the test
 * database had for it is retired at once). Returns the public encryption key.
 */
export async function registerNodeKeys(
  db: DataSource,
  keysDir: string,
  nodeId: string,
): Promise<JWK> {
  const { signing, encryption } = await writeNodeKeyFiles(keysDir, nodeId);
  const keys = new NodeKeyService(db.getRepository(NodeKeyEntity));
  await keys.rotate({ nodeId, publicJwk: signing.publicJwk }, 0);
  await keys.rotate({ nodeId, publicJwk: encryption.publicJwk }, 0);
  return encryption.publicJwk;
}
