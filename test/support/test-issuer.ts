import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';

export const TEST_AUDIENCE = 'safeguarding-exchange-test';

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return {
    kid,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' },
  };
}

export interface TokenOptions {
  roles?: string[];
  mailboxes?: string[];
  /** The agency an agency-system token acts for. */
  agency?: string;
  subject?: string;
  issuer?: string;
  audience?: string;
  expiresAt?: number;
  notBefore?: number;
  /** Defaults to now. */
  issuedAt?: number;
}

/**
 * An OIDC-like token issuer for tests: its JWKS is served over real HTTP, and the services are
 * pointed at it through AUTH_* variables, as they would be at Keycloak or Entra ID.
 */
export class TestIssuer {
  private server: Server | null = null;
  private key!: SigningKey;
  issuer = '';

  async start(): Promise<void> {
    this.key = await signingKey('test-issuer-key');
    this.server = createServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: [this.key.publicJwk] }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.issuer = `http://127.0.0.1:${port}/issuer`;
    process.env.AUTH_ISSUER = this.issuer;
    process.env.AUTH_JWKS_URL = `http://127.0.0.1:${port}/issuer/jwks.json`;
    process.env.AUTH_AUDIENCE = TEST_AUDIENCE;
  }

  token(options: TokenOptions = {}): Promise<string> {
    return this.sign(this.key, options);
  }

  /** A well-formed token signed by a key this issuer never published (another issuer's). */
  async foreignToken(options: TokenOptions = {}): Promise<string> {
    return this.sign(await signingKey('foreign-key'), options);
  }

  private sign(key: SigningKey, options: TokenOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      roles: options.roles ?? [],
      mailboxes: options.mailboxes ?? [],
      ...(options.agency ? { agency: options.agency } : {}),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setSubject(options.subject ?? 'test-user')
      .setIssuedAt(options.issuedAt ?? now)
      .setExpirationTime(options.expiresAt ?? now + 600);
    if (options.notBefore) jwt.setNotBefore(options.notBefore);
    return jwt.sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
