import { ensureNodeKeys, loadNodeKeyring, publicSigningJwk } from '@app/crypto';
import { JWK, KeyLike } from 'jose';

export const DEV_ISSUER_ALGORITHM = 'EdDSA';

/** The development issuer's keys live like a node's, under KEYS_DIR/dev-issuer. */
const DEV_ISSUER_NODE = 'dev-issuer';

export interface DevIssuerKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

/**
 * The development issuer's signing key, created on first use (git-ignored, 0600). Only for
 * development and tests on one machine: production uses a real OIDC provider, and the env
 * check refuses the development issuer there.
 */
export async function loadOrCreateDevIssuerKey(keysDir: string): Promise<DevIssuerKey> {
  await ensureNodeKeys(keysDir, DEV_ISSUER_NODE);
  const { signing } = await loadNodeKeyring(keysDir, DEV_ISSUER_NODE);
  return { ...signing, publicJwk: await publicSigningJwk(signing) };
}
