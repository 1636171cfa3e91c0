import { createPublicKey, KeyObject } from 'node:crypto';

import { exportJWK, JWK } from 'jose';

import { SIGNING_ALGORITHM } from './algorithms';
import { SigningKey } from './envelope-signer';
import { readCurrentKids, writeCurrentKids, writePrivateKeyFile } from './key-files';
import { generateEncryptionKeyPair, generateSigningKeyPair } from './node-keys';

/**
 * Gives a node a key layout when it has none (development and tests only: production keys come
 * from `npm run keys` and are registered). An existing current.json is never replaced, even if a
 * key file it names is missing: signatures made before would silently stop verifying.
 * Returns the kids when keys were created, undefined when the node already had keys.
 */
export async function ensureNodeKeys(
  keysDir: string,
  nodeId: string,
): Promise<{ signing: string; encryption: string } | undefined> {
  if (await readCurrentKids(keysDir, nodeId)) return undefined;
  const [signing, encryption] = await Promise.all([
    generateSigningKeyPair(),
    generateEncryptionKeyPair(),
  ]);
  await writePrivateKeyFile(keysDir, nodeId, signing);
  await writePrivateKeyFile(keysDir, nodeId, encryption);
  const current = { signing: signing.kid, encryption: encryption.kid };
  await writeCurrentKids(keysDir, nodeId, current);
  return current;
}

/** The public half of a signing key, as a JWK to publish (kid, alg, use; never `d`). */
export async function publicSigningJwk(key: SigningKey): Promise<JWK> {
  const { kty, crv, x } = await exportJWK(createPublicKey(key.privateKey as KeyObject));
  return { kty, crv, x, kid: key.kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}
