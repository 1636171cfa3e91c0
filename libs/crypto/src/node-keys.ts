import { randomUUID } from 'node:crypto';

import { exportJWK, generateKeyPair, JWK, KeyLike } from 'jose';

import { KEY_AGREEMENT_ALGORITHM, SIGNING_ALGORITHM } from './algorithms';

export interface NodeKeyPair {
  kid: string;
  privateKey: KeyLike;
  /** The public half as a JWK with kid, alg and use: safe to register and publish. */
  publicJwk: JWK;
}

async function generate(alg: string, use: 'sig' | 'enc', options: { crv?: string }) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { ...options, extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use };
  return { kid, privateKey, publicJwk } satisfies NodeKeyPair;
}

/** A node's Ed25519 signing key pair. */
export function generateSigningKeyPair(): Promise<NodeKeyPair> {
  return generate(SIGNING_ALGORITHM, 'sig', { crv: 'Ed25519' });
}

/** A node's X25519 key-agreement pair for ECDH-ES encryption. */
export function generateEncryptionKeyPair(): Promise<NodeKeyPair> {
  return generate(KEY_AGREEMENT_ALGORITHM, 'enc', { crv: 'X25519' });
}
