/**
 * The hub's administrator API (the console's Administration page reads it): the registry with
 * node keys, the sharing policy in words, the dead-letter list and re-drive. Admin only.
 * Real: PostgreSQL (the registry seeded by the test preparation), the Kafka broker (the
 * dead-letter topic read as the operator principal), the hub as a Nest app. Faked: the OIDC
 * issuer (TestIssuer, real HTTP JWKS).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { generateSigningKeyPair } from '@app/crypto';
import { NodeKeyService } from '@app/registry';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { createTestNodes, removeTestNodes } from '../support/registry-fixtures';
import { RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(120_000);

const PATHS = ['/admin/registry', '/admin/policy', '/admin/dead-letters'];

describe('the hub’s administrator API', () => {
  const issuer = new TestIssuer();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-admin-keys-'));
  let hub: RunningService;
  let admin: string;
  let testNodes: string[] = [];

  beforeAll(async () => {
    await issuer.start();
    process.env.KEYS_DIR = keysDir;
    hub = await startService(HubModule);
    admin = await issuer.token({ roles: ['admin'], subject: 'admin-robin' });
  });

  afterAll(async () => {
    await removeTestNodes(hub.app.get(DataSource), testNodes);
    await hub?.app.close();
    rmSync(keysDir, { recursive: true, force: true });
  });

  const get = (url: string, token: string) =>
    request(hub.url).get(url).set('Authorization', `Bearer ${token}`);

  it('refuses anyone but an administrator, without a token 401', async () => {
    for (const url of PATHS) {
      expect({ url, status: (await request(hub.url).get(url)).status }).toEqual({
        url,
        status: 401,
      });
    }
    for (const roles of [['auditor'], ['mailbox-user'], ['agency-system'], ['marac-coordinator']]) {
      const token = await issuer.token({ roles, mailboxes: ['mash'], agency: 'northshire-police' });
      for (const url of PATHS) {
        expect({ url, roles, status: (await get(url, token)).status }).toEqual({
          url,
          roles,
          status: 403,
        });
      }
      const replay = await request(hub.url)
        .post('/admin/dead-letters/0:0/replay')
        .set('Authorization', `Bearer ${token}`);
      expect(replay.status).toBe(403);
    }
  });

  it('gives the registry with what each mailbox receives, and node keys without key material', async () => {
    testNodes = await createTestNodes(hub.app.get(DataSource), ['keys']);
    const keys = hub.app.get(NodeKeyService);
    const first = await generateSigningKeyPair();
    await keys.register({ nodeId: testNodes[0], publicJwk: first.publicJwk });
    const second = await generateSigningKeyPair();
    const before = Date.now();
    await keys.rotate({ nodeId: testNodes[0], publicJwk: second.publicJwk }, 7 * 86_400);

    const response = await get('/admin/registry', admin);
    expect(response.status).toBe(200);
    const body = response.body as {
      agencies: { id: string; name: string }[];
      nodes: { id: string; agencyId: string }[];
      mailboxes: { id: string; receives: string }[];
      maracMembers: { maracAgencyId: string; memberAgencyId: string }[];
      keys: Record<string, unknown>[];
    };
    expect(body.agencies).toContainEqual(
      expect.objectContaining({ id: 'northshire-police', name: 'Northshire Police' }),
    );
    expect(body.nodes).toContainEqual(
      expect.objectContaining({ id: 'police', agencyId: 'northshire-police' }),
    );
    expect(body.mailboxes.find((mailbox) => mailbox.id === 'mash')?.receives).toContain(
      'Referrals',
    );
    expect(body.mailboxes.every((mailbox) => mailbox.receives.length > 0)).toBe(true);
    expect(body.maracMembers).toContainEqual({
      maracAgencyId: 'northshire-marac',
      memberAgencyId: 'northshire-police',
    });
    const ours = body.keys.filter((key) => key.nodeId === testNodes[0]);
    expect(ours).toEqual([
      expect.objectContaining({
        kid: second.publicJwk.kid,
        status: 'active',
        rotating: false,
        expiresAt: null,
        ageDays: 0,
      }),
      expect.objectContaining({ kid: first.publicJwk.kid, status: 'retiring', rotating: true }),
    ]);
    const expires = Date.parse(ours[1].expiresAt as string);
    expect(expires).toBeGreaterThanOrEqual(before + 7 * 86_400_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000 + 1_000);
    // Only the listed fields: no public or private key material.
    for (const key of body.keys) {
      expect(Object.keys(key).sort()).toEqual([
        'ageDays',
        'createdAt',
        'expiresAt',
        'kid',
        'nodeId',
        'revokedAt',
        'rotating',
        'status',
        'use',
      ]);
    }
  });

  it('gives the sharing policy in force: its version and every rule in words, in order', async () => {
    const file = JSON.parse(
      readFileSync(
        path.join(__dirname, '..', '..', 'deploy', 'policy', 'sharing-policy.json'),
        'utf8',
      ),
    ) as { version: string; rules: { id: string }[] };
    const response = await get('/admin/policy', admin);
    expect(response.status).toBe(200);
    expect(response.body.version).toBe(file.version);
    expect(response.body.rules.map((rule: { id: string }) => rule.id)).toEqual(
      file.rules.map((rule) => rule.id),
    );
    expect(
      response.body.rules.find((rule: { id: string }) => rule.id === 'encompass-school-set'),
    ).toMatchObject({
      effect: 'Shares',
      when: 'A domestic abuse notification from the police to education',
    });
  });

  it('lists dead letters, refuses a malformed record with 400 and re-drives none it does not have', async () => {
    const list = await get('/admin/dead-letters', admin);
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body.items)).toBe(true);
    for (const item of list.body.items as Record<string, unknown>[]) {
      expect(item).not.toHaveProperty('value');
      expect(item).not.toHaveProperty('key');
    }
    const malformed = await request(hub.url)
      .post('/admin/dead-letters/abc/replay')
      .set('Authorization', `Bearer ${admin}`);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.message)).toContain('record');
    const missing = await request(hub.url)
      .post('/admin/dead-letters/0:999999999/replay')
      .set('Authorization', `Bearer ${admin}`);
    expect(missing.status).toBe(404);
  });
});
