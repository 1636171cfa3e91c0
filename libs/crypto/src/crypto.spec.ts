import { ExchangeError } from '@app/contracts';

import { generateEncryptionKeyPair, generateSigningKeyPair } from './node-keys';
import { signCompact, verifyCompact } from './jws';
import { decryptWith, encryptTo } from './jwe';
import { payloadDigest } from './digest';

const body = new TextEncoder().encode(
  JSON.stringify({ subjectRef: 'subj-1', note: 'x'.repeat(2048) }),
);

describe('crypto', () => {
  it('signs, encrypts to one node, and only that node decrypts and verifies', async () => {
    const signer = await generateSigningKeyPair();
    const recipient = await generateEncryptionKeyPair();
    const stranger = await generateEncryptionKeyPair();

    const jws = await signCompact(body, signer.privateKey, signer.kid, 'sgx-envelope+jws');
    const jwe = await encryptTo(new TextEncoder().encode(jws), recipient.publicJwk);

    await expect(decryptWith(jwe, stranger.privateKey)).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
    const opened = new TextDecoder().decode(await decryptWith(jwe, recipient.privateKey));
    const { payload, header } = await verifyCompact(opened, async (kid) =>
      kid === signer.kid ? signer.publicJwk : undefined,
    );
    expect(Buffer.from(payload).equals(Buffer.from(body))).toBe(true);
    expect(header).toMatchObject({ alg: 'EdDSA', kid: signer.kid, typ: 'sgx-envelope+jws' });
  });

  it('refuses a tampered payload, an unknown kid and a foreign alg with distinct codes', async () => {
    const signer = await generateSigningKeyPair();
    const jws = await signCompact(body, signer.privateKey, signer.kid, 'sgx-envelope+jws');
    const resolve = async (kid: string) => (kid === signer.kid ? signer.publicJwk : undefined);

    const [header, , signature] = jws.split('.');
    const forged = `${header}.${Buffer.from('{"subjectRef":"other"}').toString('base64url')}.${signature}`;
    await expect(verifyCompact(forged, resolve)).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    await expect(verifyCompact(jws, async () => undefined)).rejects.toMatchObject({
      code: 'KID_UNKNOWN',
    });

    const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', kid: signer.kid })).toString(
      'base64url',
    );
    const unsigned = `${noneHeader}.${jws.split('.')[1]}.`;
    await expect(verifyCompact(unsigned, resolve)).rejects.toBeInstanceOf(ExchangeError);
    await expect(verifyCompact(unsigned, resolve)).rejects.toMatchObject({
      code: 'ALG_NOT_ALLOWED',
    });
  });

  it('digests payloads as 43-character base64url SHA-256', () => {
    expect(payloadDigest('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });
});
