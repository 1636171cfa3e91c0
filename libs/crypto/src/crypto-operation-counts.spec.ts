import { cryptoOperationCounts } from './crypto-operation-counts';
import { decryptWith, encryptTo } from './jwe';
import { signCompact, verifyCompact } from './jws';
import { generateEncryptionKeyPair, generateSigningKeyPair } from './node-keys';

describe('crypto operation counts (sgx_crypto_operations_total)', () => {
  it('counts each sign, verify, encrypt and decrypt the process does', async () => {
    const signer = await generateSigningKeyPair();
    const recipient = await generateEncryptionKeyPair();
    const body = new TextEncoder().encode('counted');
    const before = cryptoOperationCounts();

    const jws = await signCompact(body, signer.privateKey, signer.kid, 'test');
    await verifyCompact(jws, async () => signer.publicJwk);
    const jwe = await encryptTo(body, recipient.publicJwk);
    await decryptWith(jwe, recipient.privateKey);
    await decryptWith(jwe, recipient.privateKey);

    const after = cryptoOperationCounts();
    expect({
      sign: after.sign - before.sign,
      verify: after.verify - before.verify,
      encrypt: after.encrypt - before.encrypt,
      decrypt: after.decrypt - before.decrypt,
    }).toEqual({ sign: 1, verify: 1, encrypt: 1, decrypt: 2 });
  });
});
