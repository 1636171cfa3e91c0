/**
 * Finding 2 of issue 12 (node side): bodies the hub could not handle were answered 202. Each
 * node now refuses at its boundary what the hub would refuse or could not store: ISO 8601
 * shapes that are not RFC 3339 with an offset, impossible or implausible dates, control
 * characters and lone surrogates, prototype keys, contradictory fields, and bodies too deep or
 * too large (before parsing). Nothing is stored or sent for a refused body, and no input is
 * answered 5xx. Real: the police and education node apps as main.ts builds them, on the real
 * database, driven in-process; tokens from a test issuer; the hub's keys and registry entries
 * from a hub stand-in over HTTP.
 */
import { randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { HubStandIn } from '../support/hub-stand-in';
import { inProcessApp } from '../support/in-process-app';
import { TestIssuer } from '../support/test-issuer';
import { validBodies } from '../support/valid-bodies';

const SCHOOL = 'school-990101-dsl';

describe('finding 2: a node refuses at its boundary what the hub could not handle', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  let police: INestApplication;
  let education: INestApplication;
  let policeToken: string;
  let schoolToken: string;

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    Object.assign(process.env, { HUB_JWKS_URL: hub.jwksUrl, OUTBOX_RELAY_ENABLED: 'false' });
    police = await inProcessApp(PoliceModule);
    education = await inProcessApp(EducationModule);
    policeToken = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-cad',
    });
    schoolToken = await issuer.token({ roles: ['mailbox-user'], mailboxes: [SCHOOL] });
  });

  afterAll(async () => {
    await police?.close();
    await education?.close();
    await hub.stop();
    await issuer.stop();
  });

  const outboxRows = async (app: INestApplication) => {
    const [{ n }] = (await app.get(DataSource).query('SELECT count(*)::int AS n FROM outbox')) as {
      n: number;
    }[];
    return n;
  };

  const post = (app: INestApplication, path: string, token: string, body: unknown) => {
    const call = request(app.getHttpServer())
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json');
    return call.send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  /** Posts the body, expects the status and a message naming the rule; checks nothing was sent. */
  async function expectRefused(
    app: INestApplication,
    path: string,
    token: string,
    body: unknown,
    status: number,
    mentions: string,
  ) {
    const before = await outboxRows(app);
    const response = await post(app, path, token, body);
    expect({ status: response.status, message: JSON.stringify(response.body.message) }).toEqual({
      status,
      message: expect.stringContaining(mentions),
    });
    expect(await outboxRows(app)).toBe(before);
  }

  const incident = (change: (body: Record<string, unknown>) => void) => {
    const body = validBodies.incident();
    change(body);
    return body;
  };
  const child = (body: Record<string, unknown>) => (body.children as Record<string, unknown>[])[0];

  it('accepts the valid incident it starts from (202), so each refusal below is its change', async () => {
    const response = await post(police, '/incidents', policeToken, validBodies.incident());
    expect(response.status).toBe(202);
  });

  describe('date-times: RFC 3339 with an offset, on a real calendar day, plausible', () => {
    const refusedOccurredAt = [
      ['an ISO week date', '2026-W01-1'],
      ['an ordinal date', '2026-032'],
      ['a date-time without an offset', '2026-03-01T18:30:00'],
      ['a date without a time', '2026-03-01'],
      ['30 February', '2026-02-30T10:00:00Z'],
      ['29 February of a common year', '2014-02-29T10:00:00Z'],
      ['year zero', '0000-00-00T00:00:00Z'],
      ['hour 24', '2026-03-01T24:00:00Z'],
      ['years ahead', `${new Date().getUTCFullYear() + 3}-01-01T10:00:00Z`],
      ['tomorrow', new Date(Date.now() + 86_400_000).toISOString()],
      ['before 1900', '1899-12-31T23:59:59Z'],
    ];
    it.each(refusedOccurredAt)('refuses occurredAt as %s with 400', (_, value) =>
      expectRefused(
        police,
        '/incidents',
        policeToken,
        incident((body) => (body.occurredAt = value)),
        400,
        'occurredAt',
      ),
    );

    it('refuses a week date in startedAt and in withdrawnAt', async () => {
      await expectRefused(
        police,
        '/missing-episodes',
        policeToken,
        { ...validBodies.missingEpisode(), startedAt: '2026-W01-1' },
        400,
        'startedAt',
      );
      await expectRefused(
        police,
        '/consent-withdrawals',
        policeToken,
        { ...validBodies.consentWithdrawal(), withdrawnAt: '2026-W01-1' },
        400,
        'withdrawnAt',
      );
    });

    it.each([
      ['30 February', '2016-02-30'],
      ['29 February of a common year', '2014-02-29'],
      ['year zero', '0000-00-00'],
      ['in the future', `${new Date().getUTCFullYear() + 1}-01-01`],
      ['before 1900', '1899-12-31'],
    ])('refuses a date of birth %s with 400', (_, value) =>
      expectRefused(
        police,
        '/incidents',
        policeToken,
        incident((body) => (child(body).dateOfBirth = value)),
        400,
        'dateOfBirth',
      ),
    );
  });

  describe('strings and keys', () => {
    it.each([
      ['NUL', 'police-safe\u0000guarding-hub'],
      ['an escape character', 'police-\u001b[31m'],
      ['a lone high surrogate', 'police-\ud800'],
      ['a lone low surrogate', '\udc00police'],
    ])('refuses %s in reporterMailboxId with 400', (_, value) =>
      expectRefused(
        police,
        '/missing-episodes',
        policeToken,
        { ...validBodies.missingEpisode(), reporterMailboxId: value },
        400,
        'body.reporterMailboxId',
      ),
    );

    it('refuses a control character in free text, deep in a list', () =>
      expectRefused(
        police,
        '/incidents',
        policeToken,
        incident((body) => (child(body).voiceOfChild = 'said \u0007 nothing')),
        400,
        'body.children[0].voiceOfChild must not contain control characters',
      ));

    it.each(['__proto__', 'constructor', 'prototype'])(
      'refuses a %s key anywhere in a body (a referral) with 400',
      (key) =>
        expectRefused(
          education,
          `/mailboxes/${SCHOOL}/referrals`,
          schoolToken,
          `{"child":{"name":"A","${key}":{"prototype":{"polluted":true}}},"concerns":"x"}`,
          400,
          `key ${key} is not allowed`,
        ),
    );

    it('refuses constructor.prototype in a referral, and a control character in a query string', async () => {
      await expectRefused(
        education,
        `/mailboxes/${SCHOOL}/referrals`,
        schoolToken,
        { ...validBodies.referral(), constructor: { prototype: { isAdmin: true } } },
        400,
        'key constructor is not allowed',
      );
      const response = await request(education.getHttpServer())
        .get(`/mailboxes/${SCHOOL}/referrals?x=%00`)
        .set('Authorization', `Bearer ${schoolToken}`);
      expect(response.status).toBe(400);
    });
  });

  it('refuses a child with both a schoolUrn and educatedAtHome (contradictory) with 400', () =>
    expectRefused(
      police,
      '/incidents',
      policeToken,
      incident((body) => (child(body).educatedAtHome = true)),
      400,
      'educatedAtHome must not be true when schoolUrn is given',
    ));

  describe('depth, size and syntax, before parsing', () => {
    const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    it.each([
      ['/incidents', 'police'],
      ['/missing-episodes', 'police'],
      ['/consent-withdrawals', 'police'],
      ['/marac/referrals', 'police'],
      [`/mailboxes/${SCHOOL}/referrals`, 'education'],
    ])('answers a body nested 10,000 deep on POST %s with 400', (path, node) => {
      const [app, token] = node === 'police' ? [police, policeToken] : [education, schoolToken];
      return expectRefused(app, path, token, `{"a":${deep(10_000)}}`, 400, 'nested deeper than 32');
    });

    it('answers a body over the size limit with 413', () =>
      expectRefused(
        police,
        '/incidents',
        policeToken,
        incident((body) => (body.circumstances = 'x'.repeat(300_000))),
        413,
        'larger than 262144 bytes',
      ));

    it('answers malformed JSON with 400', () =>
      expectRefused(
        police,
        '/incidents',
        policeToken,
        '{"policeReference": ',
        400,
        'not valid JSON',
      ));

    it('keeps brackets inside strings out of the depth count', async () => {
      const response = await post(
        police,
        '/incidents',
        policeToken,
        incident((body) => (body.circumstances = '[[[[{{{{'.repeat(20))),
      );
      expect(response.status).toBe(202);
    });
  });

  it('answers a stored notification encrypted to a key the node no longer holds with 409, not 500', async () => {
    const messageId = randomUUID();
    const header = Buffer.from(
      JSON.stringify({
        alg: 'ECDH-ES',
        enc: 'A256GCM',
        kid: 'a-retired-key',
        typ: 'sgx-envelope+jwe',
      }),
    ).toString('base64url');
    await education.get(DataSource).query(
      `INSERT INTO inbox_message (message_id, type, source, body, kafka_topic, kafka_partition,
         kafka_offset, received_at, mailbox_id, status)
       VALUES ($1, 'domestic-abuse-notification', 'hub', $2, 'test', 0, 0, now(), $3, 'received')`,
      [messageId, `${header}..AAAA.AAAA.AAAA`, SCHOOL],
    );
    const response = await request(education.getHttpServer())
      .get(`/mailboxes/${SCHOOL}/notifications/${messageId}`)
      .set('Authorization', `Bearer ${schoolToken}`);
    expect(response.status).toBe(409);
    expect(response.body.error).toBe('NOT_ADDRESSED_TO_NODE');
  });
});
