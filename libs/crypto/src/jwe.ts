import { compactDecrypt, CompactEncrypt, importJWK, JWK, KeyLike } from 'jose';

import { CONTENT_ENCRYPTION, KEY_AGREEMENT_ALGORITHM } from './algorithms';

/** Encrypts bytes to a recipient's public encryption JWK (ECDH-ES, A256GCM), naming its kid. */
export async function encryptTo(plaintext: Uint8Array, recipient: JWK): Promise<string> {
  if (!recipient.kid) throw new Error('recipient JWK must carry a kid');
  const key = await importJWK(recipient, KEY_AGREEMENT_ALGORITHM);
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({
      alg: KEY_AGREEMENT_ALGORITHM,
      enc: CONTENT_ENCRYPTION,
      kid: recipient.kid,
    })
    .encrypt(key);
}

/** Decrypts a compact JWE with this node's private key; refuses other algorithms. */
export async function decryptWith(jwe: string, privateKey: KeyLike): Promise<Uint8Array> {
  const { plaintext } = await compactDecrypt(jwe, privateKey, {
    keyManagementAlgorithms: [KEY_AGREEMENT_ALGORITHM],
    contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
  });
  return plaintext;
}
