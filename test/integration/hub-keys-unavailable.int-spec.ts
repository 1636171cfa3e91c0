/**
 * A node that has never fetched the exchange hub's key set, while the hub is unreachable, refuses
 * every request it would seal to the hub with 503 and a message saying so, and stores nothing.
 * Real: the Kafka broker, PostgreSQL, the MARAC and police nodes as Nest apps, their keys in a
 * temporary KEYS_DIR, bearer tokens from a test issuer over HTTP. The hub is not running:
 * HUB_JWKS_URL points at a port nothing listens on.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as MaracModule } from '../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { serveNodeDirectory } from '../support/hub-stand-in';
import { freePort, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'HUB_KEYS_UNAVAILABLE',
  message: "the exchange hub's keys are not available; nothing was stored; retry later",
};

const dash = (yes: number) =>
  Array.from({ length: 24 }, (_, index) => (index < yes ? 'yes' : 'no'));

describe('a node while the hub is unreachable and its keys were never fetched', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-hub-down-keys-'));
  let marac: RunningService;
  let police: RunningService;
  let directory: Awaited<ReturnType<typeof serveNodeDirectory>>;
  const victimRef = `V-${randomUUID()}`;

  const referral = {
    referringAgencyId: 'northshire-police',
    victimRef,
    perpetratorRef: `P-${randomUUID()}`,
    children: [],
    criterion: 'visible-high-risk',
    dashAnswers: dash(15),
    consent: { position: 'not-sought' },
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    familyInformed: false,
  };

  const count = async (service: RunningService, sql: string, params: unknown[] = []) => {
    const [{ n }] = (await service.app.get(DataSource).query(sql, params)) as { n: number }[];
    return n;
  };
  /** The outbox's last row now: nothing written after it means nothing sent, nothing audited. */
  const lastOutboxId = async (service: RunningService) =>
    count(service, 'SELECT coalesce(max(id), 0)::int AS n FROM outbox');
  const outboxSince = (service: RunningService, id: number) =>
    count(service, 'SELECT count(*)::int AS n FROM outbox WHERE id > $1', [id]);

  beforeAll(async () => {
    await issuer.start();
    for (const nodeId of ['marac', 'police']) {
      const signing = await generateSigningKeyPair();
      const encryption = await generateEncryptionKeyPair();
      await writePrivateKeyFile(keysDir, nodeId, signing);
      await writePrivateKeyFile(keysDir, nodeId, encryption);
      await writeCurrentKids(keysDir, nodeId, {
        signing: signing.kid,
        encryption: encryption.kid,
      });
    }
    // A port that was free a moment ago and that nothing listens on: connection refused.
    const closed = await freePort();
    // The registry's entries stay readable, so the node knows its agency (finding 6) and the
    // refusal is the one for the hub's keys.
    directory = await serveNodeDirectory();
    Object.assign(process.env, {
      KEYS_DIR: keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${closed}/.well-known/hub-jwks.json`,
      HUB_REGISTRY_URL: directory.url,
    });
    [marac, police] = await Promise.all([startService(MaracModule), startService(PoliceModule)]);
  });

  afterAll(async () => {
    await Promise.all([marac?.app.close(), police?.app.close()]);
    delete process.env.HUB_REGISTRY_URL;
    await directory?.stop();
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it("answers the MARAC coordinator's referral 503, and lists no case, sends no request and audits nothing", async () => {
    const outboxBefore = await lastOutboxId(marac);
    const outgoingBefore = await count(marac, 'SELECT count(*)::int AS n FROM outgoing_message');
    const coordinator = await issuer.token({
      roles: ['marac-coordinator'],
      subject: 'coordinator',
    });
    const response = await request(marac.url)
      .post('/referrals')
      .set('Authorization', `Bearer ${coordinator}`)
      .send(referral);
    expect(response.status).toBe(503);
    expect(response.body).toEqual(UNAVAILABLE);
    expect(response.headers['retry-after']).toBe('30');
    expect(
      await count(marac, 'SELECT count(*)::int AS n FROM marac_case WHERE victim_ref = $1', [
        victimRef,
      ]),
    ).toBe(0);
    expect(await count(marac, 'SELECT count(*)::int AS n FROM outgoing_message')).toBe(
      outgoingBefore,
    );
    expect(await outboxSince(marac, outboxBefore)).toBe(0);
    // A bad referral is still a 400: the body is checked before anything is sealed.
    const invalid = await request(marac.url)
      .post('/referrals')
      .set('Authorization', `Bearer ${coordinator}`)
      .send({ ...referral, dashAnswers: dash(13) });
    expect(invalid.status).toBe(400);
  });

  it("answers an agency node's MARAC referral and consent withdrawal 503, and stores neither", async () => {
    const system = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-system',
    });
    const sentBefore = await count(police, 'SELECT count(*)::int AS n FROM marac_sent');
    const withdrawalsBefore = await count(
      police,
      'SELECT count(*)::int AS n FROM consent_withdrawal',
    );
    const outboxBefore = await lastOutboxId(police);

    const referred = await request(police.url)
      .post('/marac/referrals')
      .set('Authorization', `Bearer ${system}`)
      .send({ ...referral, referrerMailboxId: 'police-safeguarding-hub' });
    expect(referred.status).toBe(503);
    expect(referred.body).toEqual(UNAVAILABLE);

    const withdrawn = await request(police.url)
      .post('/consent-withdrawals')
      .set('Authorization', `Bearer ${system}`)
      .send({
        subjectRef: randomUUID(),
        withdrawnBy: 'the victim',
        withdrawnAt: new Date(Date.now() - 60_000).toISOString(),
      });
    expect(withdrawn.status).toBe(503);
    expect(withdrawn.body).toEqual(UNAVAILABLE);

    expect(await count(police, 'SELECT count(*)::int AS n FROM marac_sent')).toBe(sentBefore);
    expect(await count(police, 'SELECT count(*)::int AS n FROM consent_withdrawal')).toBe(
      withdrawalsBefore,
    );
    expect(await outboxSince(police, outboxBefore)).toBe(0);
  });
});
