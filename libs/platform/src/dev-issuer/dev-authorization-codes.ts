import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { DemoPerson } from './demo-people';

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
}

interface IssuedCode extends AuthorizationRequest {
  person: DemoPerson;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 60_000;

/**
 * The development issuer's authorization codes: single use, a minute long, bound to the client,
 * redirect URI and PKCE challenge. In memory: this issuer is one process on a development
 * machine, and a code that dies with it is only a sign-in to start again.
 */
export class DevAuthorizationCodes {
  private readonly codes = new Map<string, IssuedCode>();

  issue(person: DemoPerson, request: AuthorizationRequest): string {
    const now = Date.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt < now) this.codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...request, person, expiresAt: now + CODE_LIFETIME_MS });
    return code;
  }

  /** The person the code was issued for, when every binding matches; the code is spent either way. */
  redeem(
    code: string,
    clientId: string,
    redirectUri: string,
    codeVerifier: string,
  ): IssuedCode | null {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || issued.expiresAt < Date.now()) return null;
    if (issued.clientId !== clientId || issued.redirectUri !== redirectUri) return null;
    const challenge = Buffer.from(
      createHash('sha256').update(codeVerifier, 'ascii').digest('base64url'),
    );
    const expected = Buffer.from(issued.codeChallenge);
    if (challenge.length !== expected.length || !timingSafeEqual(challenge, expected)) return null;
    return issued;
  }
}
