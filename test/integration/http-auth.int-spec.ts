/**
 * Real: HTTP with the real auth guard and token verification against an issuer's JWKS served
 * over HTTP; the platform's database and Kafka wiring. The probe controller below exists only
 * in this test, to reach the guard through roles and mailbox routes of every shape.
 */
import { createHmac } from 'node:crypto';

import { Controller, Get, Module, Param } from '@nestjs/common';
import {
  Authorize,
  CurrentPrincipal,
  Principal,
  PlatformModule,
  serviceEnvWithDefaults,
} from '@app/platform';
import request from 'supertest';

import { RunningService, startService } from '../support/service-harness';
import { TEST_AUDIENCE, TestIssuer } from '../support/test-issuer';

@Controller('probe')
class ProbeController {
  @Get('auditor')
  @Authorize('auditor')
  auditorOnly(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject };
  }

  @Get('mailboxes/:mailboxId/inbox')
  @Authorize('mailbox-user')
  inbox(@Param('mailboxId') mailboxId: string) {
    return { mailboxId, items: [] };
  }
}

class ProbeEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 0,
  DATABASE_SCHEMA: 'hub',
  // A group of the hub principal's own (the ACLs allow it only groups named hub…), apart from
  // the hub's.
  KAFKA_GROUP_ID: 'hub-auth-probe',
  KAFKA_SASL_USERNAME: 'hub',
}) {}

@Module({
  imports: [
    PlatformModule.forRoot({
      service: { name: 'auth-probe', description: 'auth probe' },
      env: ProbeEnv,
      tables: { entities: [], migrations: [] },
    }),
  ],
  controllers: [ProbeController],
})
class ProbeModule {}

describe('HTTP authentication and authorisation', () => {
  const issuer = new TestIssuer();
  let service: RunningService;

  beforeAll(async () => {
    await issuer.start();
    service = await startService(ProbeModule);
  });

  afterAll(async () => {
    await service?.app.close();
    await issuer.stop();
  });

  const get = (path: string, token?: string) => {
    const call = request(service.url).get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  it('lets an auditor token through to an auditor endpoint', async () => {
    const response = await get(
      '/probe/auditor',
      await issuer.token({ roles: ['auditor'], subject: 'ann' }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ subject: 'ann' });
  });

  it('keeps health and metrics public', async () => {
    expect((await get('/health')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(200);
  });

  describe('refuses with 401 and says nothing more', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const cases: [string, () => Promise<string | undefined>][] = [
      ['no token', async () => undefined],
      ['a malformed token', async () => 'not.a.jwt'],
      ['an expired token', () => issuer.token({ roles: ['auditor'], expiresAt: now() - 3600 })],
      [
        'a token not valid yet',
        () => issuer.token({ roles: ['auditor'], notBefore: now() + 3600 }),
      ],
      [
        "another issuer's token",
        () => issuer.foreignToken({ roles: ['auditor'], issuer: 'https://evil.example/realms/x' }),
      ],
      [
        'a token signed by an unpublished key under our issuer name',
        () => issuer.foreignToken({ roles: ['auditor'] }),
      ],
      [
        'a token for another audience',
        () => issuer.token({ roles: ['auditor'], audience: 'some-other-api' }),
      ],
      [
        'an unsigned token (alg none)',
        async () => {
          const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
          return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: issuer.issuer, aud: TEST_AUDIENCE, sub: 'x', roles: ['auditor'], exp: now() + 600 })}.`;
        },
      ],
      [
        'an HMAC token keyed with a guessable secret',
        async () => {
          const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
          const body = `${part({ alg: 'HS256', kid: 'test-issuer-key', typ: 'JWT' })}.${part({ iss: issuer.issuer, aud: TEST_AUDIENCE, sub: 'x', roles: ['auditor'], exp: now() + 600 })}`;
          return `${body}.${createHmac('sha256', 'test-issuer-key').update(body).digest('base64url')}`;
        },
      ],
    ];
    it.each(cases)('%s', async (_, makeToken) => {
      const response = await get('/probe/auditor', await makeToken());
      expect(response.status).toBe(401);
      expect(Object.keys(response.body).sort()).toEqual(['error', 'message', 'statusCode']);
      expect(['authentication required', 'invalid token']).toContain(response.body.message);
    });
  });

  describe('finding 10: token hygiene', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const refused: [string, () => Promise<string>][] = [
      ['an empty sub', () => issuer.token({ roles: ['auditor'], subject: '' })],
      ['a blank sub', () => issuer.token({ roles: ['auditor'], subject: '   ' })],
      [
        'an iat in the future beyond the clock tolerance',
        () => issuer.token({ roles: ['auditor'], issuedAt: now() + 600 }),
      ],
      [
        'a lifetime beyond AUTH_MAX_TOKEN_LIFETIME_SECONDS (until year 9999)',
        () => issuer.token({ roles: ['auditor'], expiresAt: 253_402_300_799 }),
      ],
      [
        'a lifetime one second over the one-hour cap',
        () => issuer.token({ roles: ['auditor'], issuedAt: now(), expiresAt: now() + 3601 }),
      ],
      [
        'a token issued more than the cap ago, even if not expired',
        () => issuer.token({ roles: ['auditor'], issuedAt: now() - 7200, expiresAt: now() + 600 }),
      ],
    ];
    it.each(refused)('refuses %s with 401 invalid token', async (_, makeToken) => {
      const response = await get('/probe/auditor', await makeToken());
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('invalid token');
    });

    it('accepts an iat within the clock tolerance and a lifetime of exactly the cap', async () => {
      const token = await issuer.token({
        roles: ['auditor'],
        issuedAt: now() + 5,
        expiresAt: now() + 5 + 3600,
      });
      expect((await get('/probe/auditor', token)).status).toBe(200);
    });

    it.each(['bearer', 'BEARER', 'BeArEr'])('accepts the scheme written %s', async (scheme) => {
      const token = await issuer.token({ roles: ['auditor'], subject: 'ann' });
      const response = await request(service.url)
        .get('/probe/auditor')
        .set('Authorization', `${scheme} ${token}`);
      expect(response.status).toBe(200);
    });

    it('sends the usual security headers and no X-Powered-By', async () => {
      const response = await get('/health');
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toContain('max-age=');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    });
  });

  it('refuses a valid token without the role with 403', async () => {
    const response = await get(
      '/probe/auditor',
      await issuer.token({ roles: ['mailbox-user'], mailboxes: ['school-1-dsl'] }),
    );
    expect(response.status).toBe(403);
    expect(response.body.message).toBe('forbidden');
  });

  it('lets a mailbox-user reach its own mailbox and no other, existing or not, alike', async () => {
    const token = await issuer.token({ roles: ['mailbox-user'], mailboxes: ['school-100001-dsl'] });
    expect((await get('/probe/mailboxes/school-100001-dsl/inbox', token)).status).toBe(200);

    const other = await get('/probe/mailboxes/school-100002-dsl/inbox', token);
    const missing = await get('/probe/mailboxes/no-such-mailbox/inbox', token);
    expect(other.status).toBe(403);
    expect(missing.status).toBe(403);
    expect(other.body).toEqual(missing.body);
  });

  it('does not let an admin read a school mailbox it is not bound to', async () => {
    const token = await issuer.token({ roles: ['admin', 'mailbox-user'], mailboxes: [] });
    expect((await get('/probe/mailboxes/school-100001-dsl/inbox', token)).status).toBe(403);
  });
});
