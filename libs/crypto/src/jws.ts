import { CompactSign, compactVerify, decodeProtectedHeader, JWK, KeyLike, importJWK } from 'jose';

import { SIGNING_ALGORITHM } from './algorithms';

/** Finds the public key for a `kid`; undefined when the kid is unknown (or revoked). */
export type VerificationKeyResolver = (kid: string) => Promise<JWK | undefined>;

export class SignatureRejectedError extends Error {
  constructor(
    readonly code: 'ALG_NOT_ALLOWED' | 'KID_MISSING' | 'KID_UNKNOWN' | 'SIGNATURE_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'SignatureRejectedError';
  }
}

/** Signs bytes as a compact JWS with a protected header {alg: EdDSA, kid, typ}. */
export function signCompact(
  payload: Uint8Array,
  key: KeyLike,
  kid: string,
  typ: string,
): Promise<string> {
  return new CompactSign(payload)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ })
    .sign(key);
}

/**
 * Verifies a compact JWS: EdDSA only, kid required and resolved through the registry.
 * Returns the payload bytes and the protected header.
 */
export async function verifyCompact(jws: string, resolveKey: VerificationKeyResolver) {
  let header;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw new SignatureRejectedError('SIGNATURE_INVALID', 'not a JWS');
  }
  if (header.alg !== SIGNING_ALGORITHM) {
    throw new SignatureRejectedError('ALG_NOT_ALLOWED', `alg ${String(header.alg)} is not allowed`);
  }
  if (!header.kid) throw new SignatureRejectedError('KID_MISSING', 'kid is missing');
  const jwk = await resolveKey(header.kid);
  if (!jwk) throw new SignatureRejectedError('KID_UNKNOWN', `kid ${header.kid} is unknown`);
  try {
    const key = await importJWK(jwk, SIGNING_ALGORITHM);
    const result = await compactVerify(jws, key, { algorithms: [SIGNING_ALGORITHM] });
    return { payload: result.payload, header: result.protectedHeader };
  } catch {
    throw new SignatureRejectedError('SIGNATURE_INVALID', 'signature does not verify');
  }
}
