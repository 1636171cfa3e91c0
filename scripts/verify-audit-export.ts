/**
 * Verifies an audit export offline (docs/audit.md, "Export and offline verification"):
 * `npm run audit:verify-export -- export.json [audit-jwks.json]`. Needs nothing of the exchange
 * but the file (and the audit service's JWKS for the checkpoint): each row's hash (RFC 8785 +
 * SHA-256), the links, the checkpoint, and each row's origin — its signature verifies with the
 * export's key of that kid, the key is the actor's (or the audit service's, for an auditor's
 * read), and the signed event is the row. Prints a summary; exits 1 on the first problem.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { compactVerify, createLocalJWKSet, decodeProtectedHeader, JSONWebKeySet } from 'jose';

export interface ExportFile {
  fromSeq: number;
  toSeq: number;
  rows: Record<string, unknown>[];
  checkpoint: { seq: number; headHash: string; jws: string };
  signingKeys?: JSONWebKeySet;
  signers?: Record<string, string>;
}

export interface ExportVerification {
  rows: number;
  signed: number;
  /** Rows appended before events were signed (or by tools): no origin to check. */
  unsigned: number;
}

/** Row members that are the appender's, not the emitter's: not in the signed event. */
const APPENDER_MEMBERS = new Set(['seq', 'prevHash', 'hash', 'appendedAt', 'signature']);
const TIME_MEMBERS = new Set(['occurredAt', 'deadline']);
const AUDIT_EVENT_TYP = 'sgx-audit-event+jws';

/** RFC 8785 for the flat rows of an export (strings, integers; ASCII keys). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
    .join(',')}}`;
}

/** A row's hash: SHA-256 of the RFC 8785 JSON of the row without `hash`, lower-case hex. */
export function rowHash(unhashed: Record<string, unknown>): string {
  return createHash('sha256').update(canonical(unhashed), 'utf8').digest('hex');
}

function same(member: string, signed: unknown, stored: unknown): boolean {
  if (TIME_MEMBERS.has(member) && typeof signed === 'string' && typeof stored === 'string') {
    return Date.parse(signed) === Date.parse(stored);
  }
  if (member === 'messageId' && typeof signed === 'string') return signed.toLowerCase() === stored;
  return signed === stored;
}

/** Throws naming the first row that fails; resolves with counts when every check passes. */
export async function verifyAuditExport(
  file: ExportFile,
  auditJwks?: JSONWebKeySet,
): Promise<ExportVerification> {
  const keys = createLocalJWKSet(file.signingKeys ?? { keys: [] });
  let signed = 0;
  let previous: string | undefined;
  for (const [index, row] of file.rows.entries()) {
    const seq = row.seq as number;
    const fail = (why: string) => new Error(`row ${seq}: ${why}`);
    if (seq !== file.fromSeq + index) throw fail('rows are not contiguous');
    const { hash, ...rest } = row;
    if (rowHash(rest) !== hash) {
      throw fail('hash mismatch');
    }
    if (previous !== undefined && row.prevHash !== previous) throw fail('prevHash mismatch');
    previous = hash as string;

    if (typeof row.signature !== 'string') continue;
    const header = decodeProtectedHeader(row.signature);
    if (header.typ !== AUDIT_EVENT_TYP) throw fail('the signature is not an audit event JWS');
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(row.signature, keys, { algorithms: ['EdDSA'] }));
    } catch {
      throw fail('the signature does not verify with the export’s keys');
    }
    const signer = file.signers?.[header.kid ?? ''];
    const mayBeAudits = row.action === 'trail-read' && signer === 'audit';
    if (signer !== row.actor && !mayBeAudits) {
      throw fail(`signed by ${signer ?? 'an unknown node'}, not by its actor ${String(row.actor)}`);
    }
    const event = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const members = new Set([
      ...Object.keys(event),
      ...Object.keys(row).filter((member) => !APPENDER_MEMBERS.has(member)),
    ]);
    for (const member of members) {
      if (!same(member, event[member], row[member])) {
        throw fail(`${member} is not what its signer signed`);
      }
    }
    signed += 1;
  }
  const last = file.rows[file.rows.length - 1];
  if (auditJwks) {
    const { payload } = await compactVerify(file.checkpoint.jws, createLocalJWKSet(auditJwks));
    const checkpoint = JSON.parse(new TextDecoder().decode(payload)) as ExportFile['checkpoint'];
    if (checkpoint.seq !== file.toSeq || checkpoint.headHash !== last?.hash) {
      throw new Error('the checkpoint does not sign the last row');
    }
  }
  return { rows: file.rows.length, signed, unsigned: file.rows.length - signed };
}

if (require.main === module) {
  const [exportPath, jwksPath] = process.argv.slice(2);
  if (!exportPath) {
    console.error('usage: npm run audit:verify-export -- export.json [audit-jwks.json]');
    process.exit(2);
  }
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
  verifyAuditExport(
    read(exportPath) as ExportFile,
    jwksPath ? (read(jwksPath) as JSONWebKeySet) : undefined,
  ).then(
    (result) => {
      console.log(
        `ok: ${result.rows} rows, ${result.signed} signed by their emitters, ${result.unsigned} unsigned${jwksPath ? ', checkpoint verified' : ''}`,
      );
    },
    (error: Error) => {
      console.error(`export does not verify: ${error.message}`);
      process.exit(1);
    },
  );
}
