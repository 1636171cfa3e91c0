import {
  DEFAULT_ENVELOPE_MAX_BYTES,
  ENVELOPE_TYP,
  ExchangeError,
  ExchangeErrorCode,
} from '@app/contracts';
import { JWK, KeyLike } from 'jose';

import { decryptWith, encryptTo, readEncryptedHeader } from './jwe';

/** The private encryption keys a node holds, by kid (current and still-rotating ones). */
export interface DecryptionKeys {
  nodeId: string;
  encryption: ReadonlyMap<string, KeyLike>;
}

/** Encrypts a signed envelope (the recipient's signed view) to one recipient's public key. */
export function encryptEnvelope(jws: string, recipient: JWK): Promise<string> {
  return encryptTo(new TextEncoder().encode(jws), recipient, ENVELOPE_TYP);
}

/**
 * Opens a JWE addressed to this node and returns the signed envelope inside, which the caller
 * then verifies. Refuses, by code, an oversized record, a foreign algorithm, a kid this node
 * does not hold and a ciphertext that does not decrypt.
 */
export async function decryptEnvelope(
  jwe: string,
  keys: DecryptionKeys,
  maxBytes = DEFAULT_ENVELOPE_MAX_BYTES,
): Promise<string> {
  if (Buffer.byteLength(jwe, 'utf8') > maxBytes) {
    throw new ExchangeError(ExchangeErrorCode.TOO_LARGE, `record exceeds ${maxBytes} bytes`);
  }
  const header = readEncryptedHeader(jwe);
  const key = typeof header.kid === 'string' ? keys.encryption.get(header.kid) : undefined;
  if (!key) {
    throw new ExchangeError(
      ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
      `JWE is not addressed to a key of node ${keys.nodeId}`,
    );
  }
  const plaintext = await decryptWith(jwe, key);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw new ExchangeError(ExchangeErrorCode.MALFORMED, 'JWE plaintext is not text');
  }
}
