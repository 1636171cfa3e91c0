import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';

import { BaseServiceEnv } from '../config/base-service.env';
import { SERVICE_ENV } from '../config/service-env.token';
import { Principal, Role, Roles } from './roles';

/** Asymmetric algorithms only: never `none`, never HMAC (a public key must not be a secret). */
const ACCEPTED_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'RS256', 'PS256'];

export class TokenRejectedError extends Error {}

/**
 * Verifies bearer JWTs against the configured issuer's JWKS (any OIDC provider: Keycloak,
 * Entra ID, the development issuer). Keys are fetched and cached by jose, and refetched when a
 * token names a kid the cache does not know.
 */
@Injectable()
export class TokenVerifier {
  private readonly keySet: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(SERVICE_ENV) private readonly env: BaseServiceEnv) {
    this.keySet = createRemoteJWKSet(new URL(env.AUTH_JWKS_URL), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keySet, {
        issuer: this.env.AUTH_ISSUER,
        audience: this.env.AUTH_AUDIENCE,
        algorithms: ACCEPTED_ALGORITHMS,
        clockTolerance: this.env.AUTH_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'iat'],
        // Refuses an `iat` in the future (beyond the tolerance) and one older than the cap.
        maxTokenAge: this.env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      }));
    } catch (error) {
      // The reason stays on the server; the caller learns only that the token was refused.
      const reason = error instanceof errors.JOSEError ? error.code : 'ERR_UNEXPECTED';
      throw new TokenRejectedError(reason);
    }
    assertHygienic(payload, this.env.AUTH_MAX_TOKEN_LIFETIME_SECONDS);
    return {
      subject: payload.sub as string,
      issuer: String(payload.iss),
      roles: claimList(payload[this.env.AUTH_ROLES_CLAIM]).filter((role): role is Role =>
        (Roles as readonly string[]).includes(role),
      ),
      mailboxes: claimList(payload[this.env.AUTH_MAILBOXES_CLAIM]),
      agencyId:
        typeof payload[this.env.AUTH_AGENCY_CLAIM] === 'string'
          ? (payload[this.env.AUTH_AGENCY_CLAIM] as string)
          : undefined,
    };
  }
}

/**
 * What jose does not check: a `sub` that names someone (an empty one would write trail rows with
 * no actor), and a lifetime within the cap (a token valid until year 9999 is a standing key).
 */
function assertHygienic(payload: JWTPayload, maxLifetimeSeconds: number): void {
  if (typeof payload.sub !== 'string' || payload.sub.trim() === '') {
    throw new TokenRejectedError('ERR_SUB_EMPTY');
  }
  if ((payload.exp as number) - (payload.iat as number) > maxLifetimeSeconds) {
    throw new TokenRejectedError('ERR_LIFETIME_TOO_LONG');
  }
}

/** A claim holding a list: a JSON array of strings, or a space-separated string (OAuth scope style). */
export function claimList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
