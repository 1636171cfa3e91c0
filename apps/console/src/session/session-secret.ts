import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A new cookie secret: 32 random bytes, base64url. */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The row id of a cookie secret: its SHA-256, so the database never holds the cookie's value. */
export function sessionIdHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function sealingKey(secret: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'sgx-console-tokens', 32),
  );
}

/** AES-256-GCM under a key only the cookie's holder can derive: `iv.tag.ciphertext`, base64url. */
export function seal(secret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
}

/** Opens what seal() made with the same secret; throws on any other secret or a changed byte. */
export function unseal(secret: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
