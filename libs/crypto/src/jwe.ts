import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import {
  compactDecrypt,
  CompactEncrypt,
  CompactJWEHeaderParameters,
  decodeProtectedHeader,
  JWK,
  KeyLike,
} from 'jose';

import {
  ALLOWED_CONTENT_ENCRYPTIONS,
  ALLOWED_KEY_AGREEMENT_ALGORITHMS,
  CONTENT_ENCRYPTION,
  KEY_AGREEMENT_ALGORITHM,
} from './algorithms';
import { countCryptoOperation } from './crypto-operation-counts';
import { importPublicKey } from './imported-keys';

/**
 * Encrypts bytes to a recipient's public encryption JWK (ECDH-ES, A256GCM), naming its kid so
 * the recipient can pick the right private key during a rotation.
 */
export async function encryptTo(
  plaintext: Uint8Array,
  recipient: JWK,
  contentType?: string,
): Promise<string> {
  if (!recipient.kid) throw new Error('recipient JWK must carry a kid');
  const key = await importPublicKey(recipient, KEY_AGREEMENT_ALGORITHM);
  countCryptoOperation('encrypt');
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: KEY_AGREEMENT_ALGORITHM,
      enc: CONTENT_ENCRYPTION,
      kid: recipient.kid,
      ...(contentType ? { cty: contentType } : {}),
    })
    .encrypt(key);
}

/**
 * Reads a compact JWE's protected header and checks its algorithms against the allow-list
 * before any key is used.
 */
export function readEncryptedHeader(jwe: string): CompactJWEHeaderParameters {
  let header;
  try {
    if (jwe.split('.').length !== 5) throw new Error('not five parts');
    header = decodeProtectedHeader(jwe);
  } catch {
    throw new ExchangeError(ExchangeErrorCode.MALFORMED, 'not a compact JWE');
  }
  if (
    typeof header.alg !== 'string' ||
    !ALLOWED_KEY_AGREEMENT_ALGORITHMS.includes(header.alg) ||
    typeof header.enc !== 'string' ||
    !ALLOWED_CONTENT_ENCRYPTIONS.includes(header.enc)
  ) {
    throw new ExchangeError(ExchangeErrorCode.ALG_NOT_ALLOWED, 'JWE alg or enc is not allowed');
  }
  return header as CompactJWEHeaderParameters;
}

/** Decrypts a compact JWE with this node's private key; refuses other algorithms. */
export async function decryptWith(jwe: string, privateKey: KeyLike): Promise<Uint8Array> {
  readEncryptedHeader(jwe);
  countCryptoOperation('decrypt');
  try {
    const { plaintext } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: [...ALLOWED_KEY_AGREEMENT_ALGORITHMS],
      contentEncryptionAlgorithms: [...ALLOWED_CONTENT_ENCRYPTIONS],
    });
    return plaintext;
  } catch (error) {
    throw new ExchangeError(ExchangeErrorCode.DECRYPTION_FAILED, 'JWE does not decrypt', {
      cause: error,
    });
  }
}
