import { createHmac } from 'node:crypto';

/** The header carrying the body's HMAC, so the school can check the call came from its node. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-sgx-signature';

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, as GitHub-style receivers expect. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
