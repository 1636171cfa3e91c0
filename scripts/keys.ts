/**
 * Node key management: `npm run keys -- <generate|rotate|revoke|list> --node <id> [--kid <kid>]
 * [--use sig|enc] [--grace-days N]`. Private halves go to files under KEYS_DIR (default
 * <repo>/.keys, git-ignored, 0600 files in 0700 directories); public halves are registered in the
 * hub schema of DATABASE_URL. Prints kids and paths, never key material.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  CurrentKids,
  currentKidsPath,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  KeyUse,
  loadNodeKeyring,
  NodeKeyPair,
  privateKeyPath,
  readCurrentKids,
  setRevokedKeyFileAside,
  signAuditEvent,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import { AuditEvent, Topics } from '@app/contracts';
import { KafkaPublisher, parseBrokers } from '@app/messaging';
import { dataSourceOptions } from '@app/persistence';
import { kafkaSecurityFromEnv, validateEnv } from '@app/platform';
import { NodeEntity, NodeKeyEntity, NodeKeyService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HubEnv } from '../apps/hub/src/config/hub.env';
import { HUB_TABLES } from '../apps/hub/src/hub.tables';
import { HUB_NODE_ID } from '../apps/hub/src/keys/hub-keys.service';

const USAGE =
  'usage: npm run keys -- <generate|rotate|revoke|list> --node <id> [--kid <kid>] [--use sig|enc] [--grace-days N]';

const generators: Record<KeyUse, () => Promise<NodeKeyPair>> = {
  sig: generateSigningKeyPair,
  enc: generateEncryptionKeyPair,
};
const currentField: Record<KeyUse, keyof CurrentKids> = { sig: 'signing', enc: 'encryption' };

interface Context {
  keysDir: string;
  nodeId: string;
  keys: NodeKeyService;
  db: DataSource;
  publisher: KafkaPublisher;
}

/**
 * Key rotations and revocations are part of the audit trail. Published after the registry
 * change is committed; if the broker cannot be reached the command fails saying so.
 */
async function recordKeyEvent(
  ctx: Context,
  action: 'key-rotated' | 'key-revoked',
  kid: string,
  use: KeyUse,
): Promise<void> {
  // Signed as the hub, whose registry the command changes (its keys are in KEYS_DIR/hub): the
  // audit service appends only events signed by the service they name as actor.
  const event: AuditEvent = {
    eventId: randomUUID(),
    action,
    actor: HUB_NODE_ID,
    occurredAt: new Date().toISOString(),
    senderNode: ctx.nodeId,
    detail: `${use} key ${kid}`,
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    const hub = await loadNodeKeyring(ctx.keysDir, HUB_NODE_ID);
    const value = await signAuditEvent(JSON.stringify(event), hub.signing);
    await Promise.race([
      ctx.publisher.publish(Topics.auditEvents, [{ key: ctx.nodeId, value }]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('Kafka did not answer within 30 s')), 30_000);
      }),
    ]);
  } catch (error) {
    throw new Error(
      `${action} ${kid} is done in the registry, but its audit event could not be published: ${(error as Error).message}`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Writes the private half to its file, then returns it; the caller registers the public half. */
async function newKeyPair(ctx: Context, use: KeyUse): Promise<NodeKeyPair> {
  const pair = await generators[use]();
  const file = await writePrivateKeyFile(ctx.keysDir, ctx.nodeId, pair);
  console.log(`  ${use} ${pair.kid} -> ${file}`);
  return pair;
}

async function saveCurrent(ctx: Context, current: Partial<CurrentKids>): Promise<void> {
  if (!current.signing || !current.encryption) {
    console.log(
      `  ${currentKidsPath(ctx.keysDir, ctx.nodeId)} not written: a current key is missing`,
    );
    return;
  }
  const file = await writeCurrentKids(ctx.keysDir, ctx.nodeId, current as CurrentKids);
  console.log(`  current: signing ${current.signing}, encryption ${current.encryption} -> ${file}`);
}

/** First keys of a node, or a replacement for a use whose key was revoked. */
async function generate(ctx: Context): Promise<void> {
  const current: Partial<CurrentKids> = { ...(await readCurrentKids(ctx.keysDir, ctx.nodeId)) };
  let made = 0;
  for (const use of ['sig', 'enc'] as const) {
    if (await ctx.keys.current(ctx.nodeId, use)) continue;
    const pair = await newKeyPair(ctx, use);
    await ctx.keys.register({ nodeId: ctx.nodeId, publicJwk: pair.publicJwk });
    current[currentField[use]] = pair.kid;
    made++;
  }
  if (made === 0) throw new Error(`node ${ctx.nodeId} already has current keys; use rotate`);
  await saveCurrent(ctx, current);
}

async function rotate(ctx: Context, uses: KeyUse[], graceDays: number): Promise<void> {
  const current: Partial<CurrentKids> = { ...(await readCurrentKids(ctx.keysDir, ctx.nodeId)) };
  for (const use of uses) {
    const pair = await newKeyPair(ctx, use);
    const { retired } = await ctx.keys.rotate(
      { nodeId: ctx.nodeId, publicJwk: pair.publicJwk },
      graceDays * 24 * 60 * 60,
    );
    for (const kid of retired)
      console.log(`  ${use} ${kid} retiring: verifies for ${graceDays} more days`);
    current[currentField[use]] = pair.kid;
    await recordKeyEvent(ctx, 'key-rotated', pair.kid, use);
  }
  await saveCurrent(ctx, current);
}

async function revoke(ctx: Context, kid: string): Promise<void> {
  const row = await ctx.keys.revoke(ctx.nodeId, kid);
  console.log(`  ${row.use} ${kid} revoked at ${row.revokedAt?.toISOString()}`);
  await recordKeyEvent(ctx, 'key-revoked', kid, row.use);
  if (await setRevokedKeyFileAside(ctx.keysDir, ctx.nodeId, kid)) {
    console.log(`  private key file moved aside; the node no longer loads it`);
  }
  const current = await readCurrentKids(ctx.keysDir, ctx.nodeId);
  if (current && (current.signing === kid || current.encryption === kid)) {
    console.log(
      `  it was the node's current ${row.use} key: run npm run keys -- generate --node ${ctx.nodeId}`,
    );
  }
}

async function list(ctx: Context): Promise<void> {
  const rows = await ctx.keys.list(ctx.nodeId);
  if (rows.length === 0) console.log(`  node ${ctx.nodeId} has no registered keys`);
  for (const row of rows) {
    const onFile = existsSync(privateKeyPath(ctx.keysDir, ctx.nodeId, row.kid));
    const until =
      row.status === 'retiring' && row.retireAfter ? ` until ${row.retireAfter.toISOString()}` : '';
    const revoked = row.revokedAt ? ` at ${row.revokedAt.toISOString()}` : '';
    console.log(
      `  ${row.use} ${row.kid} ${row.status}${until}${revoked} (from ${row.notBefore.toISOString()}; private key ${onFile ? 'on file' : 'not on this machine'})`,
    );
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      node: { type: 'string' },
      kid: { type: 'string' },
      use: { type: 'string' },
      'grace-days': { type: 'string' },
    },
  });
  const [command] = positionals;
  const nodeId = values.node;
  if (!command || !nodeId || positionals.length !== 1) throw new Error(USAGE);
  if (!['generate', 'rotate', 'revoke', 'list'].includes(command)) throw new Error(USAGE);
  if (values.use !== undefined && values.use !== 'sig' && values.use !== 'enc')
    throw new Error(USAGE);

  const env = validateEnv(HubEnv, process.env);
  const graceDays =
    values['grace-days'] === undefined ? env.KEY_ROTATION_GRACE_DAYS : Number(values['grace-days']);
  if (!Number.isInteger(graceDays) || graceDays < 0)
    throw new Error('--grace-days must be a whole number of days');
  const keysDir = path.resolve(process.env.KEYS_DIR || path.join(__dirname, '..', '.keys'));

  const db = await new DataSource(
    dataSourceOptions(
      { ...HUB_TABLES, schema: env.DATABASE_SCHEMA },
      { url: env.DATABASE_URL, poolSize: 2 },
    ),
  ).initialize();
  // The command publishes its audit events as the hub's principal, whose keys it manages.
  const publisher = new KafkaPublisher({
    brokers: parseBrokers(env.KAFKA_BROKERS),
    groupId: 'keys-command',
    partitionsConsumedConcurrently: 1,
    security: kafkaSecurityFromEnv(env).security!,
  });
  try {
    if (!(await db.getRepository(NodeEntity).existsBy({ id: nodeId }))) {
      throw new Error(
        `node ${nodeId} is not in the registry (npm run registry:seed adds the demo area)`,
      );
    }
    const ctx: Context = {
      keysDir,
      nodeId,
      db,
      keys: new NodeKeyService(db.getRepository(NodeKeyEntity)),
      publisher,
    };
    console.log(`${command} ${nodeId} (keys in ${path.join(keysDir, nodeId)})`);
    switch (command) {
      case 'generate':
        return await generate(ctx);
      case 'rotate':
        return await rotate(ctx, values.use ? [values.use as KeyUse] : ['sig', 'enc'], graceDays);
      case 'revoke':
        if (!values.kid) throw new Error('revoke needs --kid <kid>');
        return await revoke(ctx, values.kid);
      case 'list':
        return await list(ctx);
      default:
        throw new Error(USAGE);
    }
  } finally {
    await publisher.onApplicationShutdown();
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  // Messages name kids, nodes and paths only; no key material is ever in an error here.
  console.error(`keys: ${(error as Error).message}`);
  process.exit(1);
});
