import path from 'node:path';

import { FactoryProvider, Logger } from '@nestjs/common';
import { ensureNodeKeys, loadNodeKeyring, publicSigningJwk } from '@app/crypto';
import { JWK, KeyLike } from 'jose';

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
  if (nodeEnv !== 'production') {
    const created = await ensureNodeKeys(keysDir, NODE);
    if (created) {
      logger.warn(
        `no audit keys in ${path.join(keysDir, NODE)}: generated signing key ${created.signing} (not for production)`,
      );
    }
  }
  let keyring;
  try {
    keyring = await loadNodeKeyring(keysDir, NODE);
  } catch (error) {
    throw new SigningKeyUnavailableError(`audit signing key: ${(error as Error).message}`);
  }
  return { ...keyring.signing, publicJwk: await publicSigningJwk(keyring.signing) };
}

/** The one place the audit app gets its signing key; swap the factory for the shared loader. */
export const checkpointSigningKeyProvider: FactoryProvider<Promise<CheckpointSigningKey>> = {
  provide: CHECKPOINT_SIGNING_KEY,
  useFactory: (env: AuditEnv) => loadCheckpointSigningKey(env.KEYS_DIR, env.NODE_ENV),
  inject: [AuditEnv],
};
