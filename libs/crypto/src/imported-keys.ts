import { importJWK, JWK, KeyLike } from 'jose';

/** Far more public keys than an area's nodes have: a bound, not a working size. */
const MAX_KEYS = 1_000;
const imported = new Map<string, Promise<KeyLike | Uint8Array>>();

/**
 * A public JWK imported once per process: jose's importJWK builds a KeyObject each time, which
 * every verification and seal would otherwise repeat. Keyed by the key material itself (not
 * the kid), so whether a key may still be used stays the registry's question, asked every time;
 * a private JWK is never kept.
 */
export function importPublicKey(jwk: JWK, alg: string): Promise<KeyLike | Uint8Array> {
  // Only elliptic-curve public keys (x, and y for EC) are named by what the id below holds.
  if (jwk.d !== undefined || typeof jwk.x !== 'string') return importJWK(jwk, alg);
  const id = [alg, jwk.kty, jwk.crv, jwk.x, jwk.y].join(':');
  let key = imported.get(id);
  if (!key) {
    if (imported.size >= MAX_KEYS) imported.clear();
    key = importJWK(jwk, alg);
    imported.set(id, key);
    // A key that does not import is not kept: the next call reports it again.
    key.catch(() => imported.delete(id));
  }
  return key;
}
