import {
  DEFAULT_CLOCK_SKEW_SECONDS,
  DEFAULT_ENVELOPE_MAX_BYTES,
  DEFAULT_MAX_ENVELOPE_LIFETIME_SECONDS,
  ENVELOPE_TYP,
  EnvelopeClaims,
  ExchangeError,
  ExchangeErrorCode,
  findInputHazards,
  findUnstorableText,
  MessageTypeLookup,
} from '@app/contracts';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { ProtectedHeaderParameters } from 'jose';

import { readSignedHeader, verifySignatureWith } from './jws';
import { keyRefusalAt, ResolvedKey } from './key-validity';

export interface VerifyEnvelopeOptions {
  /** The registered key for a kid, whatever its status; undefined when unknown. */
  resolveKey(kid: string): Promise<ResolvedKey | undefined>;
  messageTypes: MessageTypeLookup;
  now?: Date;
  clockSkewSeconds?: number;
  maxBytes?: number;
  maxLifetimeSeconds?: number;
}

export interface VerifiedEnvelope<B extends object = object> {
  header: ProtectedHeaderParameters & { kid: string };
  claims: EnvelopeClaims;
  /** The body as an instance of its registered class, validated. */
  body: B;
  key: ResolvedKey;
}

// Strict on purpose: an unexpected member is refused rather than carried along unvalidated.
const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** Property paths and rule names of validation failures; never the offending values. */
function describeFailures(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    const own = Object.keys(error.constraints ?? {}).map((rule) => `${path}: ${rule}`);
    return [...own, ...describeFailures(error.children ?? [], `${path}.`)];
  });
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ExchangeError(ExchangeErrorCode.MALFORMED, 'JWS payload is not JSON');
  }
}

/**
 * Verifies a signed envelope without side effects: size, header, key (status, dates, owner),
 * signature, claims, times and body schema, each refusal with its own code. Replay is checked
 * by the caller, which owns the store of seen ids.
 */
export async function verifyEnvelope<B extends object = object>(
  jws: string,
  options: VerifyEnvelopeOptions,
): Promise<VerifiedEnvelope<B>> {
  const now = options.now ?? new Date();
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const maxBytes = options.maxBytes ?? DEFAULT_ENVELOPE_MAX_BYTES;
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_ENVELOPE_LIFETIME_SECONDS;

  // Before parsing anything, so an oversized record costs nothing but its length.
  if (Buffer.byteLength(jws, 'utf8') > maxBytes) {
    throw new ExchangeError(ExchangeErrorCode.TOO_LARGE, `envelope exceeds ${maxBytes} bytes`);
  }

  const header = readSignedHeader(jws);
  if (header.typ !== ENVELOPE_TYP) {
    throw new ExchangeError(ExchangeErrorCode.TYP_INVALID, `JWS typ must be ${ENVELOPE_TYP}`);
  }

  const key = await options.resolveKey(header.kid);
  if (!key || key.use !== 'sig') {
    throw new ExchangeError(ExchangeErrorCode.KID_UNKNOWN, 'no signing key has this kid');
  }
  const keyRefusal = keyRefusalAt(key, now);
  if (keyRefusal) throw new ExchangeError(keyRefusal, `signing key is not usable (${keyRefusal})`);

  const { payload } = await verifySignatureWith(jws, key.jwk);

  const raw = parseJson(payload);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ExchangeError(ExchangeErrorCode.MALFORMED, 'JWS payload is not a JSON object');
  }
  // Before any schema: a NUL or lone surrogate would otherwise fail later, in the database.
  const unstorable = findUnstorableText(raw);
  if (unstorable) {
    throw new ExchangeError(
      ExchangeErrorCode.UNSTORABLE_TEXT,
      `envelope text at ${unstorable.slice(0, 200)} holds a NUL or a lone surrogate`,
    );
  }
  // What the HTTP boundary refuses in any body is refused in a signed one too: a key that would
  // reach a prototype when the payload is turned into classes, a control character.
  const hazards = findInputHazards(raw, 'payload', 3);
  if (hazards.length > 0) {
    throw new ExchangeError(ExchangeErrorCode.SCHEMA_INVALID, `envelope ${hazards.join('; ')}`);
  }
  const claims = plainToInstance(EnvelopeClaims, raw);
  const claimErrors = await validate(claims, STRICT);
  if (claimErrors.length > 0) {
    throw new ExchangeError(
      ExchangeErrorCode.CLAIMS_INVALID,
      `envelope claims invalid: ${describeFailures(claimErrors).join('; ')}`,
    );
  }

  // Only now is `iss` trustworthy: it was signed by this key.
  if (claims.iss !== key.nodeId) {
    throw new ExchangeError(ExchangeErrorCode.KID_NODE_MISMATCH, 'kid belongs to another node');
  }

  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (claims.exp <= nowSeconds - skew) {
    throw new ExchangeError(ExchangeErrorCode.EXPIRED, 'envelope has expired');
  }
  if (
    claims.iat > nowSeconds + skew ||
    (claims.nbf !== undefined && claims.nbf > nowSeconds + skew)
  ) {
    throw new ExchangeError(ExchangeErrorCode.NOT_YET_VALID, 'envelope is not valid yet');
  }
  if (claims.exp - claims.iat > maxLifetime) {
    throw new ExchangeError(
      ExchangeErrorCode.LIFETIME_TOO_LONG,
      `envelope lifetime exceeds ${maxLifetime} seconds`,
    );
  }

  const definition = options.messageTypes.find(claims.type, claims.version);
  if (!definition) {
    throw new ExchangeError(
      ExchangeErrorCode.MESSAGE_TYPE_UNKNOWN,
      `message type ${claims.type} version ${claims.version} is not registered`,
    );
  }
  const body = plainToInstance(definition.body, claims.body);
  const bodyErrors = await validate(body, STRICT);
  if (bodyErrors.length > 0) {
    throw new ExchangeError(
      ExchangeErrorCode.SCHEMA_INVALID,
      `body fails ${claims.type} v${claims.version}: ${describeFailures(bodyErrors).join('; ')}`,
    );
  }

  return { header, claims, body: body as B, key };
}
