import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';

export const DEV_ISSUER_ALGORITHM = 'EdDSA';

export interface DevIssuerKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

/**
 * The development issuer's signing key, kept under KEYS_DIR/dev-issuer (git-ignored, 0600) and
 * created on first use. Only for development and tests on one machine: production uses a real
 * OIDC provider, and the env check refuses the development issuer there.
 */
export async function loadOrCreateDevIssuerKey(keysDir: string): Promise<DevIssuerKey> {
  const dir = path.resolve(keysDir, 'dev-issuer');
  const currentFile = path.join(dir, 'current.json');
  try {
    const { signing } = JSON.parse(await readFile(currentFile, 'utf8')) as { signing: string };
    const jwk = JSON.parse(
      await readFile(path.join(dir, `${signing}.private.jwk.json`), 'utf8'),
    ) as JWK;
    return fromPrivateJwk(jwk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(DEV_ISSUER_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const kid = randomUUID();
  const privateJwk = {
    ...(await exportJWK(privateKey)),
    kid,
    alg: DEV_ISSUER_ALGORITHM,
    use: 'sig',
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // `wx`: never overwrite a key another process created a moment ago.
  await writeFile(path.join(dir, `${kid}.private.jwk.json`), JSON.stringify(privateJwk), {
    mode: 0o600,
    flag: 'wx',
  });
  await writeFile(currentFile, JSON.stringify({ signing: kid }), { mode: 0o600 });
  return fromPrivateJwk(privateJwk);
}

async function fromPrivateJwk(jwk: JWK): Promise<DevIssuerKey> {
  const { d: _private, ...publicJwk } = jwk;
  return {
    kid: String(jwk.kid),
    privateKey: (await importJWK(jwk, DEV_ISSUER_ALGORITHM)) as KeyLike,
    publicJwk,
  };
}
