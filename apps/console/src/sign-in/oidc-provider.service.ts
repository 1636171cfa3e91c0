import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError, SERVICE_ENV } from '@app/platform';
import * as oidc from 'openid-client';

import { ConsoleEnv } from '../config/console.env';
import { PendingSignIn } from '../session/console-session.entity';

export interface CompletedSignIn {
  accessToken: string;
  idToken?: string;
  claims: Record<string, unknown>;
  expiresAt: Date;
}

/**
 * The OpenID Connect provider at AUTH_ISSUER (Keycloak, Entra ID or the development issuer),
 * through openid-client: authorization code flow with PKCE (S256), state and nonce checked,
 * the ID token verified against the provider's keys.
 */
@Injectable()
export class OidcProvider {
  private configuration?: Promise<oidc.Configuration>;

  constructor(@Inject(SERVICE_ENV) private readonly env: ConsoleEnv) {}

  get redirectUri(): string {
    return new URL('/sign-in/callback', this.env.CONSOLE_PUBLIC_URL).toString();
  }

  /** Discovered once; a provider that was down is asked again on the next sign-in. */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      throw new DependencyUnavailableError(
        'SIGN_IN_UNAVAILABLE',
        'Signing in is not available at the moment. Try again in a few minutes.',
        `the sign-in provider cannot be reached: ${(error as Error).message}`,
      );
    });
    return this.configuration;
  }

  private discover(): Promise<oidc.Configuration> {
    const secret = this.env.CONSOLE_OIDC_CLIENT_SECRET;
    // Plain HTTP only on a development machine's loopback: the env check refuses it in production.
    const insecure = this.env.AUTH_ISSUER.startsWith('http://');
    return oidc.discovery(
      new URL(this.env.AUTH_ISSUER),
      this.env.CONSOLE_OIDC_CLIENT_ID,
      secret ? { client_secret: secret } : undefined,
      secret ? oidc.ClientSecretPost(secret) : oidc.None(),
      { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: 10 },
    );
  }

  /** A new sign-in: the checks to keep, and the provider's URL to send the browser to. */
  async begin(returnTo: string): Promise<{ pending: PendingSignIn; url: URL }> {
    const config = await this.config();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.env.CONSOLE_OIDC_SCOPES,
      response_type: 'code',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { pending, url };
  }

  /** Exchanges the code the provider sent back; throws when any check fails. */
  async complete(callbackUrl: URL, pending: PendingSignIn): Promise<CompletedSignIn> {
    const config = await this.config();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider sent no ID token');
    const lifetime = tokens.expiresIn() ?? 300;
    return {
      accessToken: tokens.access_token,
      idToken: tokens.id_token,
      claims: claims as Record<string, unknown>,
      expiresAt: new Date(Date.now() + lifetime * 1000),
    };
  }

  /** Where to send the browser after sign-out, when the provider ends its own session too. */
  async endSessionUrl(idToken: string | undefined, postLogoutUri: string): Promise<string | null> {
    const config = await this.config().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    return oidc
      .buildEndSessionUrl(config, {
        post_logout_redirect_uri: postLogoutUri,
        ...(idToken ? { id_token_hint: idToken } : {}),
      })
      .toString();
  }
}
