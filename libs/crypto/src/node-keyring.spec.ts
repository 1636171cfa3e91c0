import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  currentKidsPath,
  privateKeyPath,
  setRevokedKeyFileAside,
  writeCurrentKids,
  writePrivateKeyFile,
} from './key-files';
import { decryptWith, encryptTo } from './jwe';
import { signCompact, verifyCompact } from './jws';
import { generateEncryptionKeyPair, generateSigningKeyPair } from './node-keys';
import { loadNodeKeyring } from './node-keyring';

describe('node key files and keyring', () => {
  let keysDir: string;

  beforeEach(async () => {
    keysDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sgx-keys-'));
  });

  afterEach(async () => {
    await fs.rm(keysDir, { recursive: true, force: true });
  });

  it('writes private JWKs readable by the owner only and loads the current keys', async () => {
    const sig = await generateSigningKeyPair();
    const enc = await generateEncryptionKeyPair();
    const sigFile = await writePrivateKeyFile(keysDir, 'education', sig);
    await writePrivateKeyFile(keysDir, 'education', enc);
    await writeCurrentKids(keysDir, 'education', { signing: sig.kid, encryption: enc.kid });

    expect(sigFile).toBe(path.join(keysDir, 'education', `${sig.kid}.private.jwk.json`));
    expect((await fs.stat(sigFile)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(keysDir, 'education'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await fs.readFile(sigFile, 'utf8'))).toMatchObject({
      kid: sig.kid,
      alg: 'EdDSA',
      use: 'sig',
      crv: 'Ed25519',
      d: expect.any(String),
    });
    expect(JSON.parse(await fs.readFile(currentKidsPath(keysDir, 'education'), 'utf8'))).toEqual({
      signing: sig.kid,
      encryption: enc.kid,
    });

    const keyring = await loadNodeKeyring(keysDir, 'education');
    expect(keyring.signing.kid).toBe(sig.kid);
    expect(keyring.currentEncryptionKid).toBe(enc.kid);
    const jws = await signCompact(new Uint8Array([1]), keyring.signing.privateKey, sig.kid, 't');
    await expect(verifyCompact(jws, async () => sig.publicJwk)).resolves.toBeDefined();
    const jwe = await encryptTo(new Uint8Array([2]), enc.publicJwk);
    await expect(decryptWith(jwe, keyring.encryption.get(enc.kid)!)).resolves.toEqual(
      new Uint8Array([2]),
    );
  });

  it('keeps previous encryption keys after a rotation and drops revoked ones', async () => {
    const sig = await generateSigningKeyPair();
    const first = await generateEncryptionKeyPair();
    const second = await generateEncryptionKeyPair();
    const revoked = await generateEncryptionKeyPair();
    for (const pair of [sig, first, second, revoked]) {
      await writePrivateKeyFile(keysDir, 'police', pair);
    }
    await writeCurrentKids(keysDir, 'police', { signing: sig.kid, encryption: second.kid });
    expect(await setRevokedKeyFileAside(keysDir, 'police', revoked.kid)).toBe(true);

    const keyring = await loadNodeKeyring(keysDir, 'police');
    expect([...keyring.encryption.keys()].sort()).toEqual([first.kid, second.kid].sort());
  });

  it('refuses a private key file that group or others can read', async () => {
    const sig = await generateSigningKeyPair();
    const enc = await generateEncryptionKeyPair();
    await writePrivateKeyFile(keysDir, 'health', sig);
    await writePrivateKeyFile(keysDir, 'health', enc);
    await writeCurrentKids(keysDir, 'health', { signing: sig.kid, encryption: enc.kid });
    await fs.chmod(privateKeyPath(keysDir, 'health', sig.kid), 0o644);
    await expect(loadNodeKeyring(keysDir, 'health')).rejects.toThrow('readable by group or others');
  });

  it('never overwrites a key file, and refuses node ids that leave the keys directory', async () => {
    const sig = await generateSigningKeyPair();
    await writePrivateKeyFile(keysDir, 'marac', sig);
    await expect(writePrivateKeyFile(keysDir, 'marac', sig)).rejects.toThrow('EEXIST');
    expect(() => privateKeyPath(keysDir, '../etc', sig.kid)).toThrow('invalid node id');
    await expect(loadNodeKeyring(keysDir, 'nobody')).rejects.toThrow('no keys for node nobody');
  });
});
