import { promises as fs } from 'node:fs';
import path from 'node:path';

import { importJWK, JWK, KeyLike } from 'jose';

import { KEY_AGREEMENT_ALGORITHM, SIGNING_ALGORITHM } from './algorithms';
import { SigningKey } from './envelope-signer';
import { currentKidsPath, nodeKeyDir, privateKeyPath, readCurrentKids } from './key-files';

/** A node's private keys as loaded from its key directory. */
export interface NodeKeyring {
  nodeId: string;
  /** The key the node signs with now (current.json "signing"). */
  signing: SigningKey;
  /** The kid senders should encrypt to now (current.json "encryption"). */
  currentEncryptionKid: string;
  /** Every encryption private key still on file (current and rotated, not revoked), by kid. */
  encryption: ReadonlyMap<string, KeyLike>;
}

const PRIVATE_SUFFIX = '.private.jwk.json';

async function readPrivateJwk(file: string): Promise<JWK> {
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new Error(`${file} does not exist`) : error;
  });
  // Like ssh: a private key others can read is treated as compromised, not silently used.
  if (stat.mode & 0o077) {
    throw new Error(`${file} is readable by group or others; chmod 600 it (and consider revoking)`);
  }
  const jwk = JSON.parse(await fs.readFile(file, 'utf8')) as JWK;
  if (!jwk.d || !jwk.kid) throw new Error(`${file} is not a private JWK with a kid`);
  return jwk;
}

/**
 * Loads `<keysDir>/<nodeId>`: the current signing key and every encryption key on file, so a
 * node can still decrypt records encrypted to its previous key during a rotation. Revoked keys
 * are moved aside by the keys command and so never load.
 */
export async function loadNodeKeyring(keysDir: string, nodeId: string): Promise<NodeKeyring> {
  const current = await readCurrentKids(keysDir, nodeId);
  if (!current) {
    throw new Error(
      `no keys for node ${nodeId}: ${currentKidsPath(keysDir, nodeId)} is missing (run npm run keys -- generate --node ${nodeId})`,
    );
  }

  const signingJwk = await readPrivateJwk(privateKeyPath(keysDir, nodeId, current.signing));
  if (signingJwk.use !== 'sig') throw new Error(`key ${current.signing} is not a signing key`);
  const signing: SigningKey = {
    kid: current.signing,
    privateKey: (await importJWK(signingJwk, SIGNING_ALGORITHM)) as KeyLike,
  };

  const encryption = new Map<string, KeyLike>();
  const dir = nodeKeyDir(keysDir, nodeId);
  for (const name of await fs.readdir(dir)) {
    if (!name.endsWith(PRIVATE_SUFFIX)) continue;
    const jwk = await readPrivateJwk(path.join(dir, name));
    if (jwk.use !== 'enc') continue;
    encryption.set(jwk.kid!, (await importJWK(jwk, KEY_AGREEMENT_ALGORITHM)) as KeyLike);
  }
  if (!encryption.has(current.encryption)) {
    throw new Error(`current encryption key ${current.encryption} of node ${nodeId} is missing`);
  }

  return { nodeId, signing, currentEncryptionKid: current.encryption, encryption };
}
