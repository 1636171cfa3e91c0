import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import {
  CompactSign,
  compactVerify,
  decodeProtectedHeader,
  JWK,
  KeyLike,
  ProtectedHeaderParameters,
} from 'jose';

import { ALLOWED_SIGNING_ALGORITHMS, SIGNING_ALGORITHM } from './algorithms';
import { countCryptoOperation } from './crypto-operation-counts';
import { importPublicKey } from './imported-keys';

/** Finds the public key for a `kid`; undefined when the kid is unknown (or revoked). */
export type VerificationKeyResolver = (kid: string) => Promise<JWK | undefined>;

/** Signs bytes as a compact JWS with a protected header {alg: EdDSA, kid, typ}. */
export function signCompact(
  payload: Uint8Array,
  key: KeyLike,
  kid: string,
  typ: string,
): Promise<string> {
  countCryptoOperation('sign');
  return new CompactSign(payload)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ })
    .sign(key);
}

/**
 * Reads a compact JWS's protected header and checks what can be checked before any key is
 * looked up: it parses, its alg is allowed, it names a kid.
 */
export function readSignedHeader(jws: string): ProtectedHeaderParameters & { kid: string } {
  let header: ProtectedHeaderParameters;
  try {
    if (jws.split('.').length !== 3) throw new Error('not three parts');
    header = decodeProtectedHeader(jws);
  } catch {
    throw new ExchangeError(ExchangeErrorCode.MALFORMED, 'not a compact JWS');
  }
  if (typeof header.alg !== 'string' || !ALLOWED_SIGNING_ALGORITHMS.includes(header.alg)) {
    throw new ExchangeError(ExchangeErrorCode.ALG_NOT_ALLOWED, 'JWS alg is not allowed');
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new ExchangeError(ExchangeErrorCode.KID_MISSING, 'JWS header has no kid');
  }
  return header as ProtectedHeaderParameters & { kid: string };
}

/** Checks the signature with the given public JWK; SIGNATURE_INVALID when it does not verify. */
export async function verifySignatureWith(
  jws: string,
  jwk: JWK,
): Promise<{ payload: Uint8Array; header: ProtectedHeaderParameters }> {
  // A stored key that does not import is our fault, not the sender's: let it surface as is.
  const key = await importPublicKey(jwk, SIGNING_ALGORITHM);
  countCryptoOperation('verify');
  try {
    const result = await compactVerify(jws, key, { algorithms: [...ALLOWED_SIGNING_ALGORITHMS] });
    return { payload: result.payload, header: result.protectedHeader };
  } catch (error) {
    throw new ExchangeError(ExchangeErrorCode.SIGNATURE_INVALID, 'signature does not verify', {
      cause: error,
    });
  }
}

/**
 * Verifies a compact JWS: EdDSA only, kid required and resolved by the caller.
 * Returns the payload bytes and the protected header. For envelopes use `verifyEnvelope`.
 */
export async function verifyCompact(jws: string, resolveKey: VerificationKeyResolver) {
  const header = readSignedHeader(jws);
  const jwk = await resolveKey(header.kid);
  if (!jwk) throw new ExchangeError(ExchangeErrorCode.KID_UNKNOWN, 'kid is unknown');
  return verifySignatureWith(jws, jwk);
}
