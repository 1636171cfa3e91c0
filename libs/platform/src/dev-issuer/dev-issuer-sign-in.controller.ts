import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { SignJWT } from 'jose';

import { Public } from '../auth/auth.decorators';
import { BaseServiceEnv } from '../config/base-service.env';
import { SERVICE_ENV } from '../config/service-env.token';
import { demoPeoplePage } from './demo-people-page';
import { DemoPerson, loadDemoPeople } from './demo-people';
import { AuthorizationRequest, DevAuthorizationCodes } from './dev-authorization-codes';
import { DEV_ISSUER_ALGORITHM, loadOrCreateDevIssuerKey } from './dev-issuer-keys';
import { mintDevToken } from './mint-dev-token';

const TOKEN_TTL_SECONDS = 3600;
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,200}$/;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** Development only: the browser comes back to a console on this machine, nowhere else. */
const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?\/[^\s#]*$/;

type Form = Record<string, unknown>;

function text(form: Form, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The development issuer as an OpenID Connect provider: discovery, an authorization endpoint
 * whose "login" is a page to pick a person of the demo area, and a token endpoint (code flow
 * with PKCE, public clients). The console signs in through it exactly as through Keycloak or
 * Entra ID. Not mounted in production (DevIssuerModule).
 */
@ApiTags('development issuer')
@Controller('dev-issuer')
export class DevIssuerSignInController {
  private readonly codes = new DevAuthorizationCodes();
  private readonly people: DemoPerson[] = loadDemoPeople();

  constructor(@Inject(SERVICE_ENV) private readonly env: BaseServiceEnv) {}

  /** The issuer is where it is reached: the services are pointed at the same address. */
  private issuer(request: Request): string {
    return `${request.protocol}://${request.get('host')}/dev-issuer`;
  }

  @Public()
  @Get('.well-known/openid-configuration')
  @Header('Cache-Control', 'no-store')
  @ApiExcludeEndpoint()
  discovery(@Req() request: Request): Record<string, unknown> {
    const issuer = this.issuer(request);
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [DEV_ISSUER_ALGORITHM],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['openid'],
    };
  }

  @Public()
  @Get('authorize')
  @ApiExcludeEndpoint()
  authorize(@Query() query: Form, @Res() response: Response): void {
    const request = this.authorizationRequest(query);
    response
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      // The chosen person's form redirects back to the client, which form-action must allow.
      .setHeader(
        'Content-Security-Policy',
        `default-src 'none'; form-action 'self' ${new URL(request.redirectUri).origin}; frame-ancestors 'none'`,
      )
      .send(
        demoPeoplePage(this.people, {
          client_id: request.clientId,
          redirect_uri: request.redirectUri,
          code_challenge: request.codeChallenge,
          nonce: request.nonce ?? '',
          state: text(query, 'state'),
        }),
      );
  }

  @Public()
  @Post('authorize')
  @ApiExcludeEndpoint()
  choose(@Req() httpRequest: Request, @Body() form: Form, @Res() response: Response): void {
    const request = this.authorizationRequest({
      ...form,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    const person = this.people.find((candidate) => candidate.username === text(form, 'person'));
    if (!person) throw new BadRequestException('choose a person of the demo area');
    const redirect = new URL(request.redirectUri);
    redirect.searchParams.set('code', this.codes.issue(person, request));
    if (text(form, 'state')) redirect.searchParams.set('state', text(form, 'state'));
    redirect.searchParams.set('iss', this.issuer(httpRequest));
    response.redirect(303, redirect.toString());
  }

  @Public()
  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiExcludeEndpoint()
  async token(@Req() request: Request, @Body() form: Form): Promise<Record<string, unknown>> {
    if (text(form, 'grant_type') !== 'authorization_code') {
      throw new BadRequestException({ error: 'unsupported_grant_type' });
    }
    const issued = this.codes.redeem(
      text(form, 'code'),
      text(form, 'client_id'),
      text(form, 'redirect_uri'),
      text(form, 'code_verifier'),
    );
    if (!issued) throw new BadRequestException({ error: 'invalid_grant' });
    const issuer = this.issuer(request);
    const key = await loadOrCreateDevIssuerKey(this.env.KEYS_DIR);
    const { person } = issued;
    const accessToken = await mintDevToken(key, {
      issuer,
      audience: this.env.AUTH_AUDIENCE,
      subject: person.username,
      roles: person.roles,
      mailboxes: person.mailboxes,
      agency: person.agency,
      ttlSeconds: TOKEN_TTL_SECONDS,
    });
    const idToken = await new SignJWT({
      name: person.name,
      roles: person.roles,
      mailboxes: person.mailboxes,
      ...(person.agency ? { agency: person.agency } : {}),
      ...(issued.nonce ? { nonce: issued.nonce } : {}),
    })
      .setProtectedHeader({ alg: DEV_ISSUER_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(issued.clientId)
      .setSubject(person.username)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
      .sign(key.privateKey);
    return {
      access_token: accessToken,
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: TOKEN_TTL_SECONDS,
    };
  }

  private authorizationRequest(query: Form): AuthorizationRequest {
    const problems: string[] = [];
    if (text(query, 'response_type') !== 'code') problems.push('response_type must be code');
    if (!CLIENT_ID.test(text(query, 'client_id'))) problems.push('client_id is required');
    if (!LOOPBACK_REDIRECT.test(text(query, 'redirect_uri'))) {
      problems.push('redirect_uri must be an http://127.0.0.1 or http://localhost address');
    }
    if (
      text(query, 'code_challenge_method') !== 'S256' ||
      !PKCE_CHALLENGE.test(text(query, 'code_challenge'))
    ) {
      problems.push('PKCE is required: code_challenge with code_challenge_method S256');
    }
    if (problems.length) throw new BadRequestException(problems);
    return {
      clientId: text(query, 'client_id'),
      redirectUri: text(query, 'redirect_uri'),
      codeChallenge: text(query, 'code_challenge'),
      ...(text(query, 'nonce') ? { nonce: text(query, 'nonce') } : {}),
    };
  }
}
