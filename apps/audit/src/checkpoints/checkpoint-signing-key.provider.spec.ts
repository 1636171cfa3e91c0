import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { signCompact, verifyCompact } from '@app/crypto';

import { loadCheckpointSigningKey } from './checkpoint-signing-key.provider';

describe('loadCheckpointSigningKey', () => {
  let keysDir: string;
  const warnings: string[] = [];
  const logger = { warn: (message: string) => void warnings.push(message) };

  beforeEach(async () => {
    keysDir = await mkdtemp(path.join(os.tmpdir(), 'sgx-keys-'));
    warnings.length = 0;
  });
  afterEach(() => rm(keysDir, { recursive: true, force: true }));

  it('outside production, creates the layout with private files 0600 in a 0700 directory and names the kid', async () => {
    const key = await loadCheckpointSigningKey(keysDir, 'development', logger);
    const dir = path.join(keysDir, 'audit');
    const current = JSON.parse(await readFile(path.join(dir, 'current.json'), 'utf8'));
    expect(current).toEqual({ signing: key.kid, encryption: expect.any(String) });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const file of await readdir(dir)) {
      expect((await stat(path.join(dir, file))).mode & 0o777).toBe(0o600);
    }
    expect(warnings.join('\n')).toContain(key.kid);
    expect(warnings.join('\n')).not.toMatch(/"d"/);
  });

  it('loads the same key again, publishes only public members, and signs verifiably', async () => {
    const first = await loadCheckpointSigningKey(keysDir, 'development', logger);
    const again = await loadCheckpointSigningKey(keysDir, 'production', logger);
    expect(again.kid).toBe(first.kid);
    expect(Object.keys(again.publicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    const jws = await signCompact(new TextEncoder().encode('{}'), again.privateKey, again.kid, 't');
    await expect(verifyCompact(jws, async () => first.publicJwk)).resolves.toBeDefined();
  });

  it('in production, refuses to start and names the missing file', async () => {
    await expect(loadCheckpointSigningKey(keysDir, 'production', logger)).rejects.toThrow(
      path.join(keysDir, 'audit', 'current.json'),
    );
  });

  it('never replaces a missing key file named by current.json with a new key', async () => {
    const key = await loadCheckpointSigningKey(keysDir, 'development', logger);
    await rm(path.join(keysDir, 'audit', `${key.kid}.private.jwk.json`));
    await expect(loadCheckpointSigningKey(keysDir, 'development', logger)).rejects.toThrow(
      `${key.kid}.private.jwk.json does not exist`,
    );
  });
});
