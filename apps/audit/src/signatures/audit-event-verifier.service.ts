import { Injectable } from '@nestjs/common';
import { AUDIT_EVENT_TYP, AuditEvent, ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { ALLOWED_SIGNING_ALGORITHMS, verifySignatureWith } from '@app/crypto';
import { validateRecord } from '@app/messaging';
import { decodeProtectedHeader, JWK, ProtectedHeaderParameters } from 'jose';

import { RegisteredSigningKeys } from './registered-signing-keys.service';

/** Far above any valid event (its fields are bounded to a few KiB), far below Kafka's limit. */
export const MAX_SIGNED_EVENT_BYTES = 16 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** An event whose signature was checked, with who signed it and with which key. */
export interface VerifiedAuditEvent {
  event: AuditEvent;
  /** The compact JWS as it arrived: what the chain stores and an export carries. */
  jws: string;
  signer: { nodeId: string; kid: string; publicJwk: JWK };
}

const refuse = (code: ExchangeErrorCode, reason: string) => new ExchangeError(code, reason);

/**
 * Checks that an audit event on the topic comes from the service it names as its actor: a
 * compact JWS (EdDSA, typ sgx-audit-event+jws) whose kid is a registered signing key of that
 * node and whose signature verifies over the event's JSON. Each refusal has its own code, and
 * the record is set aside on the dead-letter topic, never appended (issue 12 finding 4):
 * - AUDIT_EVENT_UNSIGNED: not a signed event at all (a bare JSON event);
 * - AUDIT_EVENT_WRONG_SIGNER: signed with another registered node's key;
 * - AUDIT_EVENT_BAD_SIGNATURE: another algorithm or typ, a key no node registered (or one no
 *   longer usable), or a signature that does not verify (the event was altered).
 * Then the event is validated as any record is.
 */
@Injectable()
export class AuditEventVerifier {
  constructor(private readonly keys: RegisteredSigningKeys) {}

  /** `producedAt`: the record's Kafka timestamp, so a key registered just before it is found. */
  async verify(value: unknown, producedAt = Date.now()): Promise<VerifiedAuditEvent> {
    if (typeof value !== 'string') {
      throw refuse(ExchangeErrorCode.AUDIT_EVENT_UNSIGNED, 'the audit event is not signed');
    }
    if (Buffer.byteLength(value, 'utf8') > MAX_SIGNED_EVENT_BYTES) {
      throw refuse(
        ExchangeErrorCode.TOO_LARGE,
        `signed event exceeds ${MAX_SIGNED_EVENT_BYTES} bytes`,
      );
    }
    if (!COMPACT_JWS.test(value)) {
      throw refuse(ExchangeErrorCode.AUDIT_EVENT_UNSIGNED, 'the audit event is not a compact JWS');
    }
    const header = readHeader(value);
    const claimed = readUnverifiedPayload(value);
    const actor = typeof claimed.actor === 'string' ? claimed.actor : '';

    const publicJwk = await this.keys.keyOf(actor, header.kid, producedAt);
    if (!publicJwk) {
      if (await this.keys.isRegistered(header.kid, producedAt)) {
        throw refuse(
          ExchangeErrorCode.AUDIT_EVENT_WRONG_SIGNER,
          'the audit event is signed with another node’s key than its actor’s',
        );
      }
      throw refuse(
        ExchangeErrorCode.AUDIT_EVENT_BAD_SIGNATURE,
        'the audit event is signed with a key no node has registered',
      );
    }
    try {
      await verifySignatureWith(value, publicJwk);
    } catch {
      throw refuse(ExchangeErrorCode.AUDIT_EVENT_BAD_SIGNATURE, 'the signature does not verify');
    }
    const event = await validateRecord(AuditEvent, claimed);
    return { event, jws: value, signer: { nodeId: actor, kid: header.kid, publicJwk } };
  }
}

function readHeader(jws: string): ProtectedHeaderParameters & { kid: string } {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw refuse(ExchangeErrorCode.AUDIT_EVENT_UNSIGNED, 'the JWS header does not parse');
  }
  // `none`, HMAC keyed with a public key and every other algorithm: only EdDSA signs events.
  if (typeof header.alg !== 'string' || !ALLOWED_SIGNING_ALGORITHMS.includes(header.alg)) {
    throw refuse(ExchangeErrorCode.AUDIT_EVENT_BAD_SIGNATURE, 'the JWS alg is not allowed');
  }
  if (header.typ !== AUDIT_EVENT_TYP) {
    throw refuse(
      ExchangeErrorCode.AUDIT_EVENT_BAD_SIGNATURE,
      `the JWS typ must be ${AUDIT_EVENT_TYP}`,
    );
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw refuse(ExchangeErrorCode.AUDIT_EVENT_BAD_SIGNATURE, 'the JWS header has no kid');
  }
  return header as ProtectedHeaderParameters & { kid: string };
}

/** The payload before its signature is checked: only to learn whose key must have signed it. */
function readUnverifiedPayload(jws: string): Record<string, unknown> {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      Buffer.from(jws.split('.')[1], 'base64url'),
    );
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Refused below.
  }
  throw refuse(ExchangeErrorCode.MALFORMED, 'the signed audit event is not a JSON object');
}
