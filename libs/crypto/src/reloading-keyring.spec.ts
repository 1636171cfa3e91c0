import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ExchangeErrorCode } from '@app/contracts';

import { encryptEnvelope } from './envelope-encryption';
import { privateKeyPath, writeCurrentKids, writePrivateKeyFile } from './key-files';
import { generateEncryptionKeyPair, generateSigningKeyPair, NodeKeyPair } from './node-keys';
import { ReloadingKeyring } from './reloading-keyring';

/** Real files in a temporary KEYS_DIR; the keyring's watch is not relied on (reload by kid). */
describe('ReloadingKeyring', () => {
  let keysDir: string;
  let ring: ReloadingKeyring;
  const node = 'police';

  async function writeKeys(): Promise<{ sig: NodeKeyPair; enc: NodeKeyPair }> {
    const sig = await generateSigningKeyPair();
    const enc = await generateEncryptionKeyPair();
    await writePrivateKeyFile(keysDir, node, sig);
    await writePrivateKeyFile(keysDir, node, enc);
    await writeCurrentKids(keysDir, node, { signing: sig.kid, encryption: enc.kid });
    return { sig, enc };
  }

  beforeEach(async () => {
    keysDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sgx-reloading-'));
    ring = new ReloadingKeyring({ keysDir, nodeId: node, checkIntervalMs: 60_000 });
  });

  afterEach(async () => {
    ring.close();
    await fs.rm(keysDir, { recursive: true, force: true });
  });

  it('opens a record sealed to a key written after it loaded, and still one sealed to the old key', async () => {
    const first = await writeKeys();
    await ring.keyring();
    const second = await writeKeys();

    const toNew = await encryptEnvelope('signed-envelope-new', second.enc.publicJwk);
    expect(await ring.decrypt(toNew)).toBe('signed-envelope-new');
    const toOld = await encryptEnvelope('signed-envelope-old', first.enc.publicJwk);
    expect(await ring.decrypt(toOld)).toBe('signed-envelope-old');
    expect((await ring.keyring()).signing.kid).toBe(second.sig.kid);
  });

  it('refuses a kid with no key file NOT_ADDRESSED_TO_NODE without reloading', async () => {
    await writeKeys();
    const loaded = await ring.keyring();
    const stranger = await generateEncryptionKeyPair();
    const jwe = await encryptEnvelope('x', stranger.publicJwk);
    await expect(ring.decrypt(jwe)).rejects.toMatchObject({
      code: ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
    });
    expect(await ring.keyring()).toBe(loaded);
  });

  it('keeps the last good keyring when a reload fails, and says so', async () => {
    const first = await writeKeys();
    const failures: unknown[] = [];
    const told = new ReloadingKeyring({
      keysDir,
      nodeId: node,
      checkIntervalMs: 60_000,
      onReloadFailed: (error) => failures.push(error),
    });
    try {
      await told.keyring();
      // A half-done rotation: current.json names a signing key whose file is not there.
      await writeCurrentKids(keysDir, node, { signing: 'missing-kid', encryption: first.enc.kid });
      const kept = await told.reload();
      expect(kept.signing.kid).toBe(first.sig.kid);
      expect(failures).toHaveLength(1);
      await fs.access(privateKeyPath(keysDir, node, first.sig.kid));
    } finally {
      told.close();
    }
  });
});
