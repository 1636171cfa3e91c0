/**
 * Real: the hub serving the development issuer's JWKS over HTTP, the police adapter verifying a
 * token minted by `npm run token` against it, PostgreSQL and Kafka behind both.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import request from 'supertest';

import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { freePort, RunningService, startService } from '../support/service-harness';

const root = path.join(__dirname, '..', '..');

function mintToken(env: Record<string, string>, ...args: string[]) {
  return spawnSync(
    process.execPath,
    ['-r', './scripts/run-ts.js', 'scripts/mint-token.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
}

describe('development issuer', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-keys-'));
  let hub: RunningService;
  let police: RunningService;
  let issuerEnv: Record<string, string>;

  beforeAll(async () => {
    const port = await freePort();
    issuerEnv = {
      KEYS_DIR: keysDir,
      AUTH_ISSUER: `http://127.0.0.1:${port}/dev-issuer`,
      AUTH_JWKS_URL: `http://127.0.0.1:${port}/dev-issuer/jwks.json`,
      AUTH_AUDIENCE: 'safeguarding-exchange',
    };
    Object.assign(process.env, issuerEnv);
    hub = await startService(HubModule, port);
    police = await startService(PoliceModule);
  });

  afterAll(async () => {
    await Promise.all([hub?.app.close(), police?.app.close()]);
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('mints a token the other services accept, with the private key kept 0600 on disk', async () => {
    const minted = mintToken(issuerEnv, '--role', 'agency-system', '--sub', 'police-cad-system');
    expect(minted.status).toBe(0);
    const token = minted.stdout.trim();

    const response = await request(police.url).get('/node').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      nodeId: 'police',
      agencyKind: 'police',
      deliveryTopic: 'sgx.delivery.police.v1',
    });
    expect((await request(police.url).get('/node')).status).toBe(401);

    const jwks = await request(hub.url).get('/dev-issuer/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
    const keyFile = path.join(keysDir, 'dev-issuer', `${jwks.body.keys[0].kid}.private.jwk.json`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('refuses to mint a token in production, or for an unknown role', () => {
    const production = mintToken({ ...issuerEnv, NODE_ENV: 'production' }, '--role', 'admin');
    expect(production.status).toBe(1);
    expect(production.stderr).toContain('refused when NODE_ENV=production');
    expect(production.stdout).toBe('');

    const unknownRole = mintToken(issuerEnv, '--role', 'superuser');
    expect(unknownRole.status).toBe(1);
    expect(unknownRole.stderr).toContain('--role must be one or more of');
  });
});
