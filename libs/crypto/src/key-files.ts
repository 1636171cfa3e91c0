import { promises as fs } from 'node:fs';
import path from 'node:path';

import { exportJWK, JWK } from 'jose';

import { NodeKeyPair } from './node-keys';

/** `current.json` of a node's key directory: which kids the node signs and is encrypted to with. */
export interface CurrentKids {
  signing: string;
  encryption: string;
}

const KID = /^[A-Za-z0-9_-]{1,100}$/;
const NODE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** `<keysDir>/<nodeId>`; refuses ids that could step outside the keys directory. */
export function nodeKeyDir(keysDir: string, nodeId: string): string {
  if (!NODE_ID.test(nodeId)) throw new Error(`invalid node id "${nodeId}"`);
  return path.join(keysDir, nodeId);
}

/** `<keysDir>/<nodeId>/<kid>.private.jwk.json` */
export function privateKeyPath(keysDir: string, nodeId: string, kid: string): string {
  if (!KID.test(kid)) throw new Error('invalid kid');
  return path.join(nodeKeyDir(keysDir, nodeId), `${kid}.private.jwk.json`);
}

/** Where a revoked key's file is moved: out of the loader's sight, kept for the operator. */
export function revokedKeyPath(keysDir: string, nodeId: string, kid: string): string {
  if (!KID.test(kid)) throw new Error('invalid kid');
  return path.join(nodeKeyDir(keysDir, nodeId), `${kid}.revoked.jwk.json`);
}

export function currentKidsPath(keysDir: string, nodeId: string): string {
  return path.join(nodeKeyDir(keysDir, nodeId), 'current.json');
}

async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask and ignored for an existing directory.
  await fs.chmod(dir, 0o700);
}

/**
 * Writes a key pair's private half as a JWK (with kid, alg, use) readable by the owner only.
 * Refuses to overwrite an existing file. Returns the path.
 */
export async function writePrivateKeyFile(
  keysDir: string,
  nodeId: string,
  pair: NodeKeyPair,
): Promise<string> {
  const file = privateKeyPath(keysDir, nodeId, pair.kid);
  await ensurePrivateDir(path.dirname(file));
  const jwk: JWK = {
    ...(await exportJWK(pair.privateKey)),
    kid: pair.kid,
    alg: pair.publicJwk.alg,
    use: pair.publicJwk.use,
  };
  await fs.writeFile(file, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await fs.chmod(file, 0o600);
  return file;
}

/** Replaces `current.json` atomically (write then rename), so a reader never sees half a file. */
export async function writeCurrentKids(
  keysDir: string,
  nodeId: string,
  current: CurrentKids,
): Promise<string> {
  const file = currentKidsPath(keysDir, nodeId);
  await ensurePrivateDir(path.dirname(file));
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
  return file;
}

/** `current.json`, or undefined when the node has no keys yet. */
export async function readCurrentKids(
  keysDir: string,
  nodeId: string,
): Promise<CurrentKids | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(currentKidsPath(keysDir, nodeId), 'utf8'));
    if (typeof parsed?.signing !== 'string' || typeof parsed?.encryption !== 'string') {
      throw new Error(`${currentKidsPath(keysDir, nodeId)} must name "signing" and "encryption"`);
    }
    return { signing: parsed.signing, encryption: parsed.encryption };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Moves a revoked key's file aside so no loader uses it again; true when there was one. */
export async function setRevokedKeyFileAside(
  keysDir: string,
  nodeId: string,
  kid: string,
): Promise<boolean> {
  try {
    await fs.rename(privateKeyPath(keysDir, nodeId, kid), revokedKeyPath(keysDir, nodeId, kid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
