/**
 * Development only (refused in production): makes sure every registry node of the demo area and
 * the hub has keys in KEYS_DIR and that their public halves are the current ones in the
 * registry of DATABASE_URL. Idempotent: keys on file are kept and (re-)registered when the
 * database does not have them (a fresh or a test database); keys are generated only when a node
 * has none on file. Run by `npm run setup` after the demo area is seeded.
 */
import 'reflect-metadata';
import path from 'node:path';
import { promises as fs } from 'node:fs';

import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  privateKeyPath,
  publicOnly,
  readCurrentKids,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import { dataSourceOptions } from '@app/persistence';
import { validateEnv } from '@app/platform';
import { NodeEntity, NodeKeyEntity, NodeKeyService } from '@app/registry';
import { JWK } from 'jose';
import { DataSource } from 'typeorm';

import { HubEnv } from '../apps/hub/src/config/hub.env';
import { HUB_TABLES } from '../apps/hub/src/hub.tables';

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    console.log('dev keys: skipped (NODE_ENV=production: keys are an operator decision)');
    return;
  }
  const env = validateEnv(HubEnv, process.env);
  const keysDir = path.resolve(process.env.KEYS_DIR || path.join(__dirname, '..', '.keys'));
  const db = await new DataSource(
    dataSourceOptions(
      { ...HUB_TABLES, schema: env.DATABASE_SCHEMA },
      { url: env.DATABASE_URL, poolSize: 2 },
    ),
  ).initialize();
  try {
    const keys = new NodeKeyService(db.getRepository(NodeKeyEntity));
    const nodes = await db.getRepository(NodeEntity).find({ order: { id: 'ASC' } });
    for (const node of nodes) {
      let current = await readCurrentKids(keysDir, node.id);
      if (!current) {
        const signing = await generateSigningKeyPair();
        const encryption = await generateEncryptionKeyPair();
        await writePrivateKeyFile(keysDir, node.id, signing);
        await writePrivateKeyFile(keysDir, node.id, encryption);
        current = { signing: signing.kid, encryption: encryption.kid };
        await writeCurrentKids(keysDir, node.id, current);
        console.log(`dev keys: ${node.id} generated (signing ${signing.kid})`);
      }
      for (const kid of [current.signing, current.encryption]) {
        if (await keys.resolve(kid)) continue;
        const privateJwk = JSON.parse(
          await fs.readFile(privateKeyPath(keysDir, node.id, kid), 'utf8'),
        ) as JWK;
        // The file's key becomes current; whatever this database had before is retired at once.
        await keys.rotate({ nodeId: node.id, publicJwk: publicOnly(privateJwk) }, 0);
        console.log(`dev keys: ${node.id} ${privateJwk.use} ${kid} registered`);
      }
    }
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`dev keys failed: ${(error as Error).message}`);
  process.exit(1);
});
