import { randomUUID } from 'node:crypto';

import { DEFAULT_ENVELOPE_LIFETIME_SECONDS, ENVELOPE_TYP, EnvelopeClaims } from '@app/contracts';
import { KeyLike } from 'jose';

import { signCompact } from './jws';

/** The private signing key a node signs with, named by its registered kid. */
export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
}

/** What a node says in an envelope; ids and times are filled in when absent. */
export interface EnvelopeDraft<B extends object> {
  iss: string;
  sub: string;
  type: string;
  version: number;
  body: B;
  jti?: string;
  /** Seconds since the epoch. */
  iat?: number;
  nbf?: number;
  exp?: number;
  lifetimeSeconds?: number;
}

/** Signs an envelope as a compact JWS with protected header {alg: EdDSA, kid, typ}. */
export function signEnvelope<B extends object>(
  draft: EnvelopeDraft<B>,
  key: SigningKey,
): Promise<string> {
  const iat = draft.iat ?? Math.floor(Date.now() / 1000);
  const claims: EnvelopeClaims = {
    iss: draft.iss,
    sub: draft.sub,
    jti: draft.jti ?? randomUUID(),
    iat,
    ...(draft.nbf !== undefined ? { nbf: draft.nbf } : {}),
    exp: draft.exp ?? iat + (draft.lifetimeSeconds ?? DEFAULT_ENVELOPE_LIFETIME_SECONDS),
    type: draft.type,
    version: draft.version,
    body: draft.body as Record<string, unknown>,
  };
  return signCompact(
    new TextEncoder().encode(JSON.stringify(claims)),
    key.privateKey,
    key.kid,
    ENVELOPE_TYP,
  );
}
