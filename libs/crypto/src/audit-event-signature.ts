import { AUDIT_EVENT_TYP } from '@app/contracts';

import { SigningKey } from './envelope-signer';
import { signCompact } from './jws';

/**
 * Signs an audit event's JSON as the service that emits it: a compact JWS with protected header
 * {alg: EdDSA, kid, typ: sgx-audit-event+jws} whose payload is exactly those bytes, so the audit
 * service (and an offline verifier, from an export) can check which registered key signed it.
 */
export function signAuditEvent(eventJson: string, key: SigningKey): Promise<string> {
  return signCompact(new TextEncoder().encode(eventJson), key.privateKey, key.kid, AUDIT_EVENT_TYP);
}
