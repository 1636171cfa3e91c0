import { createHash } from 'node:crypto';

/** SHA-256 of the bytes, base64url: how the audit trail refers to a payload without holding it. */
export function payloadDigest(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
