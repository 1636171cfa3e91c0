import { exportJWK } from 'jose';

import { generateEncryptionKeyPair, generateSigningKeyPair } from './node-keys';
import { importPublicKey } from './imported-keys';

describe('importPublicKey', () => {
  it('imports a public key once, and another key apart from it', async () => {
    const one = await generateSigningKeyPair();
    const two = await generateSigningKeyPair();
    const first = await importPublicKey(one.publicJwk, 'EdDSA');
    expect(await importPublicKey({ ...one.publicJwk }, 'EdDSA')).toBe(first);
    expect(await importPublicKey(two.publicJwk, 'EdDSA')).not.toBe(first);
  });

  it('never keeps a private key', async () => {
    const pair = await generateEncryptionKeyPair();
    const privateJwk = await exportJWK(pair.privateKey);
    const first = await importPublicKey(privateJwk, 'ECDH-ES');
    expect(await importPublicKey(privateJwk, 'ECDH-ES')).not.toBe(first);
  });

  it('reports a key that does not import every time, not once', async () => {
    const broken = { kty: 'OKP', crv: 'Ed25519', x: 'not-a-key' };
    await expect(importPublicKey(broken, 'EdDSA')).rejects.toThrow();
    await expect(importPublicKey(broken, 'EdDSA')).rejects.toThrow();
  });
});
