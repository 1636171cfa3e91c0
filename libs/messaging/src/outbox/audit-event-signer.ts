/**
 * Signs an audit event's JSON as this service, with its registered signing key (a compact JWS,
 * `signAuditEvent` in libs/crypto). Every service that writes audit events to its outbox provides
 * one under AUDIT_EVENT_SIGNER: the hub with its keys, each node with its own.
 */
export interface AuditEventSigner {
  sign(eventJson: string): Promise<string>;
}

export const AUDIT_EVENT_SIGNER = Symbol('AUDIT_EVENT_SIGNER');
