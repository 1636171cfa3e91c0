import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { FactoryProvider, Logger } from '@nestjs/common';
import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  NodeKeyPair,
  SIGNING_ALGORITHM,
} from '@app/crypto';
import { exportJWK, importJWK, JWK, KeyLike } from 'jose';

import { AuditEnv } from '../config/audit.env';

/** The audit node's Ed25519 key that signs checkpoints; only its public half leaves the process. */
export interface CheckpointSigningKey {
  kid: string;
  privateKey: KeyLike;
  /** kty, crv, x, kid, alg, use: what the JWKS publishes. Never `d`. */
  publicJwk: JWK;
}

export const CHECKPOINT_SIGNING_KEY = Symbol('CHECKPOINT_SIGNING_KEY');

/** The node whose keys these are, as a directory under KEYS_DIR. */
const NODE = 'audit';
const KID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class SigningKeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyUnavailableError';
  }
}

/**
 * Reads the audit node's signing key from the layout every node uses:
 * `<keysDir>/audit/current.json` = {"signing": kid, "encryption": kid} and
 * `<keysDir>/audit/<kid>.private.jwk.json` (mode 0600). Outside production, a missing layout is
 * created with fresh keys (directory 0700, files 0600) and a warning naming the kid; in
 * production a missing file stops the start, named. An existing current.json whose key file is
 * missing is never papered over with a new key: checkpoints signed before would stop verifying.
 */
export async function loadCheckpointSigningKey(
  keysDir: string,
  nodeEnv: string,
  logger: Pick<Logger, 'warn'> = new Logger('CheckpointSigningKey'),
): Promise<CheckpointSigningKey> {
  const dir = path.join(keysDir, NODE);
  const currentFile = path.join(dir, 'current.json');
  let current = await readJson(currentFile);
  if (current === undefined) {
    if (nodeEnv === 'production') {
      throw new SigningKeyUnavailableError(`audit signing key: ${currentFile} does not exist`);
    }
    current = await generateLayout(dir, currentFile);
    logger.warn(
      `no audit keys in ${dir}: generated signing key ${String((current as { signing: string }).signing)} (not for production)`,
    );
  }
  const kid = (current as { signing?: unknown }).signing;
  if (typeof kid !== 'string' || !KID.test(kid)) {
    throw new SigningKeyUnavailableError(
      `audit signing key: ${currentFile} has no valid "signing" kid`,
    );
  }
  const keyFile = path.join(dir, `${kid}.private.jwk.json`);
  const jwk = (await readJson(keyFile)) as JWK | undefined;
  if (jwk === undefined) {
    throw new SigningKeyUnavailableError(`audit signing key: ${keyFile} does not exist`);
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || !jwk.x) {
    throw new SigningKeyUnavailableError(
      `audit signing key: ${keyFile} is not an Ed25519 private JWK`,
    );
  }
  if (((await stat(keyFile)).mode & 0o077) !== 0) {
    logger.warn(
      `audit signing key file ${keyFile} is readable by group or others; it should be 0600`,
    );
  }
  const privateKey = (await importJWK(jwk, SIGNING_ALGORITHM)) as KeyLike;
  return {
    kid,
    privateKey,
    publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
  };
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SigningKeyUnavailableError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function writePrivateJwk(dir: string, pair: NodeKeyPair): Promise<void> {
  const jwk = {
    ...(await exportJWK(pair.privateKey)),
    kid: pair.kid,
    alg: pair.publicJwk.alg,
    use: pair.publicJwk.use,
  };
  await writeFile(path.join(dir, `${pair.kid}.private.jwk.json`), JSON.stringify(jwk), {
    mode: 0o600,
    flag: 'wx',
  });
}

async function generateLayout(dir: string, currentFile: string): Promise<unknown> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const [signing, encryption] = await Promise.all([
    generateSigningKeyPair(),
    generateEncryptionKeyPair(),
  ]);
  await writePrivateJwk(dir, signing);
  await writePrivateJwk(dir, encryption);
  const current = { signing: signing.kid, encryption: encryption.kid };
  try {
    await writeFile(currentFile, JSON.stringify(current, null, 2), { mode: 0o600, flag: 'wx' });
    return current;
  } catch (error) {
    // Another instance created the layout first: use its keys, so all instances sign alike.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readJson(currentFile);
    throw error;
  }
}

/** The one place the audit app gets its signing key; swap the factory for the shared loader. */
export const checkpointSigningKeyProvider: FactoryProvider<Promise<CheckpointSigningKey>> = {
  provide: CHECKPOINT_SIGNING_KEY,
  useFactory: (env: AuditEnv) => loadCheckpointSigningKey(env.KEYS_DIR, env.NODE_ENV),
  inject: [AuditEnv],
};
