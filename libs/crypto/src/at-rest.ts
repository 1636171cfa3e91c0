import { exportJWK, JWK } from 'jose';

import { encryptTo } from './jwe';
import { NodeKeyring } from './node-keyring';

/** The content type of a value sealed at rest (a JWE's `cty`), apart from envelopes. */
export const AT_REST_CONTENT_TYPE = 'sgx-at-rest';

const publicKeys = new WeakMap<object, Promise<JWK>>();

/** The public half of the node's current encryption key, derived from its private key. */
function currentPublicKey(ring: NodeKeyring): Promise<JWK> {
  const privateKey = ring.encryption.get(ring.currentEncryptionKid)!;
  let publicKey = publicKeys.get(privateKey);
  if (!publicKey) {
    publicKey = exportJWK(privateKey).then(({ kty, crv, x }) => ({
      kty,
      crv,
      x,
      kid: ring.currentEncryptionKid,
    }));
    publicKeys.set(privateKey, publicKey);
  }
  return publicKey;
}

/**
 * Seals a value a node stores (free text that may hold personal data) as the inbox stores a
 * delivery: a compact JWE to the node's own current encryption key, opened on read with the
 * same keyring (ReloadingKeyring.decrypt), so a rotation keeps old rows readable while the
 * retiring key's file is kept. A copy of the database alone reveals nothing of it.
 */
export async function sealAtRest(text: string, ring: NodeKeyring): Promise<string> {
  return encryptTo(
    new TextEncoder().encode(text),
    await currentPublicKey(ring),
    AT_REST_CONTENT_TYPE,
  );
}

/** Whether a stored value is sealed (a compact JWE of this kind), not legacy plaintext. */
export function isSealedAtRest(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 5) return false;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as {
      cty?: unknown;
    };
    return header.cty === AT_REST_CONTENT_TYPE;
  } catch {
    return false;
  }
}
