import {
  ENVELOPE_TYP,
  ExchangeError,
  ExchangeErrorCode,
  MessageTypeRegistry,
  TEST_NOTICE,
  TestNotice,
} from '@app/contracts';
import { CompactEncrypt, CompactSign, importJWK } from 'jose';

import { decryptEnvelope, DecryptionKeys, encryptEnvelope } from './envelope-encryption';
import { EnvelopeDraft, signEnvelope } from './envelope-signer';
import { verifyEnvelope, VerifyEnvelopeOptions } from './envelope-verifier';
import { ResolvedKey } from './key-validity';
import { generateEncryptionKeyPair, generateSigningKeyPair, NodeKeyPair } from './node-keys';

interface TestNode {
  id: string;
  sig: NodeKeyPair;
  enc: NodeKeyPair;
}

const NOW = new Date('2030-01-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const DAY_MS = 24 * 60 * 60 * 1000;

const notice: TestNotice = {
  title: 'Attendance concern',
  text: 'x'.repeat(2048),
  priority: 'high',
};

/** A registry held in memory, with the same statuses and dates as the node_key table. */
class KeyStore {
  readonly keys = new Map<string, ResolvedKey>();
  add(nodeId: string, pair: NodeKeyPair, extra: Partial<ResolvedKey> = {}): void {
    this.keys.set(pair.kid, {
      kid: pair.kid,
      nodeId,
      use: pair.publicJwk.use as 'sig' | 'enc',
      jwk: pair.publicJwk,
      status: 'active',
      notBefore: new Date(NOW.getTime() - DAY_MS),
      retireAfter: null,
      ...extra,
    });
  }
  update(kid: string, change: Partial<ResolvedKey>): void {
    this.keys.set(kid, { ...this.keys.get(kid)!, ...change });
  }
}

async function makeNode(id: string, store: KeyStore): Promise<TestNode> {
  const node = { id, sig: await generateSigningKeyPair(), enc: await generateEncryptionKeyPair() };
  store.add(id, node.sig);
  store.add(id, node.enc);
  return node;
}

function keysOf(node: TestNode): DecryptionKeys {
  return { nodeId: node.id, encryption: new Map([[node.enc.kid, node.enc.privateKey]]) };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('signed and encrypted envelopes', () => {
  const store = new KeyStore();
  const messageTypes = new MessageTypeRegistry().register(TEST_NOTICE);
  let police: TestNode;
  let education: TestNode;
  let health: TestNode;

  const options = (extra: Partial<VerifyEnvelopeOptions> = {}): VerifyEnvelopeOptions => ({
    resolveKey: async (kid) => store.keys.get(kid),
    messageTypes,
    now: NOW,
    clockSkewSeconds: 60,
    ...extra,
  });

  const draft = (extra: Partial<EnvelopeDraft<object>> = {}): EnvelopeDraft<object> => ({
    iss: 'police',
    sub: 'subj-123',
    type: TEST_NOTICE.type,
    version: TEST_NOTICE.version,
    body: notice,
    iat: NOW_S,
    lifetimeSeconds: 900,
    ...extra,
  });

  const signAsPolice = (extra: Partial<EnvelopeDraft<object>> = {}) =>
    signEnvelope(draft(extra), police.sig);

  async function expectRefused(attempt: Promise<unknown>, code: ExchangeErrorCode) {
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).code).toBe(code);
  }

  beforeAll(async () => {
    police = await makeNode('police', store);
    education = await makeNode('education', store);
    health = await makeNode('health', store);
  });

  describe('round trip', () => {
    it('signs, encrypts to education, and education decrypts and verifies the typed body', async () => {
      const jws = await signAsPolice();
      expect(jws.split('.')[0]).toBe(b64({ alg: 'EdDSA', kid: police.sig.kid, typ: ENVELOPE_TYP }));
      const jwe = await encryptEnvelope(jws, education.enc.publicJwk);

      const opened = await decryptEnvelope(jwe, keysOf(education));
      const verified = await verifyEnvelope<TestNotice>(opened, options());

      expect(verified.claims).toMatchObject({
        iss: 'police',
        sub: 'subj-123',
        iat: NOW_S,
        exp: NOW_S + 900,
        type: TEST_NOTICE.type,
        version: 1,
      });
      expect(verified.claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(verified.body).toBeInstanceOf(TestNotice);
      expect(verified.body).toEqual(notice);
      expect(verified.key.nodeId).toBe('police');
    });

    it('a third node cannot decrypt: NOT_ADDRESSED_TO_NODE', async () => {
      const jwe = await encryptEnvelope(await signAsPolice(), education.enc.publicJwk);
      await expectRefused(
        decryptEnvelope(jwe, keysOf(health)),
        ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
      );
    });

    it('a JWE that claims this node kid but was encrypted to another key: DECRYPTION_FAILED', async () => {
      const jwe = await encryptEnvelope(await signAsPolice(), health.enc.publicJwk);
      const parts = jwe.split('.');
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      parts[0] = b64({ ...header, kid: education.enc.kid });
      await expectRefused(
        decryptEnvelope(parts.join('.'), keysOf(education)),
        ExchangeErrorCode.DECRYPTION_FAILED,
      );
    });

    it('refuses a JWE key-management algorithm outside the list: ALG_NOT_ALLOWED', async () => {
      const key = await importJWK(education.enc.publicJwk, 'ECDH-ES+A256KW');
      const jwe = await new CompactEncrypt(new TextEncoder().encode(await signAsPolice()))
        .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: education.enc.kid })
        .encrypt(key);
      await expectRefused(
        decryptEnvelope(jwe, keysOf(education)),
        ExchangeErrorCode.ALG_NOT_ALLOWED,
      );
    });

    it('refuses a JWE over the size limit before decrypting: TOO_LARGE', async () => {
      const jwe = await encryptEnvelope(await signAsPolice(), education.enc.publicJwk);
      await expectRefused(
        decryptEnvelope(jwe, keysOf(education), 1024),
        ExchangeErrorCode.TOO_LARGE,
      );
    });
  });

  describe('hostile envelopes, each refused with its own code', () => {
    it('a payload changed after signing: SIGNATURE_INVALID', async () => {
      const [header, payload, signature] = (await signAsPolice()).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${b64({ ...claims, sub: 'subj-other' })}.${signature}`;
      await expectRefused(verifyEnvelope(forged, options()), ExchangeErrorCode.SIGNATURE_INVALID);
    });

    it('a signature made with another key under a registered kid: SIGNATURE_INVALID', async () => {
      const forged = await signEnvelope(draft(), {
        kid: police.sig.kid,
        privateKey: education.sig.privateKey,
      });
      await expectRefused(verifyEnvelope(forged, options()), ExchangeErrorCode.SIGNATURE_INVALID);
    });

    it('a kid nobody registered: KID_UNKNOWN', async () => {
      const stranger = await generateSigningKeyPair();
      await expectRefused(
        verifyEnvelope(await signEnvelope(draft(), stranger), options()),
        ExchangeErrorCode.KID_UNKNOWN,
      );
    });

    it('an encryption kid used as a signing kid: KID_UNKNOWN', async () => {
      const jws = await signEnvelope(draft(), {
        kid: police.enc.kid,
        privateKey: police.sig.privateKey,
      });
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.KID_UNKNOWN);
    });

    it('no kid at all: KID_MISSING', async () => {
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({})))
        .setProtectedHeader({ alg: 'EdDSA', typ: ENVELOPE_TYP })
        .sign(police.sig.privateKey);
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.KID_MISSING);
    });

    it('a kid of education in an envelope whose iss is police: KID_NODE_MISMATCH', async () => {
      const jws = await signEnvelope(draft({ iss: 'police' }), education.sig);
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.KID_NODE_MISMATCH);
    });

    it('alg none: ALG_NOT_ALLOWED', async () => {
      const [, payload] = (await signAsPolice()).split('.');
      const unsigned = `${b64({ alg: 'none', kid: police.sig.kid, typ: ENVELOPE_TYP })}.${payload}.`;
      await expectRefused(verifyEnvelope(unsigned, options()), ExchangeErrorCode.ALG_NOT_ALLOWED);
    });

    it('HS256 keyed with the public key (key confusion): ALG_NOT_ALLOWED', async () => {
      const secret = new TextEncoder().encode(JSON.stringify(police.sig.publicJwk));
      const [, payload] = (await signAsPolice()).split('.');
      const jws = await new CompactSign(Buffer.from(payload, 'base64url'))
        .setProtectedHeader({ alg: 'HS256', kid: police.sig.kid, typ: ENVELOPE_TYP })
        .sign(secret);
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.ALG_NOT_ALLOWED);
    });

    it('a JWS of another type (typ JWT): TYP_INVALID', async () => {
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify({})))
        .setProtectedHeader({ alg: 'EdDSA', kid: police.sig.kid, typ: 'JWT' })
        .sign(police.sig.privateKey);
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.TYP_INVALID);
    });

    it('not a JWS, or a signed payload that is not JSON: MALFORMED', async () => {
      await expectRefused(verifyEnvelope('not-a-jws', options()), ExchangeErrorCode.MALFORMED);
      const jws = await new CompactSign(new TextEncoder().encode('plain text'))
        .setProtectedHeader({ alg: 'EdDSA', kid: police.sig.kid, typ: ENVELOPE_TYP })
        .sign(police.sig.privateKey);
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.MALFORMED);
    });

    it('a jti that is not a UUID: CLAIMS_INVALID', async () => {
      await expectRefused(
        verifyEnvelope(await signAsPolice({ jti: 'message-1' }), options()),
        ExchangeErrorCode.CLAIMS_INVALID,
      );
    });

    it('exp past beyond the clock skew: EXPIRED; within the skew it passes', async () => {
      const expired = await signAsPolice({ iat: NOW_S - 1000, exp: NOW_S - 61 });
      await expectRefused(verifyEnvelope(expired, options()), ExchangeErrorCode.EXPIRED);
      const withinSkew = await signAsPolice({ iat: NOW_S - 1000, exp: NOW_S - 59 });
      await expect(verifyEnvelope(withinSkew, options())).resolves.toBeDefined();
    });

    it('iat or nbf ahead beyond the clock skew: NOT_YET_VALID', async () => {
      await expectRefused(
        verifyEnvelope(await signAsPolice({ iat: NOW_S + 120 }), options()),
        ExchangeErrorCode.NOT_YET_VALID,
      );
      await expectRefused(
        verifyEnvelope(await signAsPolice({ nbf: NOW_S + 120 }), options()),
        ExchangeErrorCode.NOT_YET_VALID,
      );
      await expect(
        verifyEnvelope(await signAsPolice({ iat: NOW_S + 30 }), options()),
      ).resolves.toBeDefined();
    });

    it('a lifetime longer than the hub remembers jtis for: LIFETIME_TOO_LONG', async () => {
      await expectRefused(
        verifyEnvelope(await signAsPolice({ lifetimeSeconds: 365 * 24 * 3600 }), options()),
        ExchangeErrorCode.LIFETIME_TOO_LONG,
      );
    });

    it('a message type nobody registered: MESSAGE_TYPE_UNKNOWN', async () => {
      await expectRefused(
        verifyEnvelope(await signAsPolice({ version: 2 }), options()),
        ExchangeErrorCode.MESSAGE_TYPE_UNKNOWN,
      );
    });

    it('a body that fails its schema, or carries an unexpected field: SCHEMA_INVALID', async () => {
      await expectRefused(
        verifyEnvelope(await signAsPolice({ body: { ...notice, priority: 'urgent' } }), options()),
        ExchangeErrorCode.SCHEMA_INVALID,
      );
      await expectRefused(
        verifyEnvelope(
          await signAsPolice({ body: { ...notice, nhsNumber: '943 476 5919' } }),
          options(),
        ),
        ExchangeErrorCode.SCHEMA_INVALID,
      );
    });

    it('says which rule failed, never the value', async () => {
      const error = await verifyEnvelope(
        await signAsPolice({ body: { ...notice, priority: 'secret-value-42' } }),
        options(),
      ).then(
        () => new ExchangeError(ExchangeErrorCode.MALFORMED, 'accepted'),
        (caught: unknown) => caught as ExchangeError,
      );
      expect(error.message).toContain('priority');
      expect(error.message).not.toContain('secret-value-42');
    });

    it('an envelope over the default 1 MiB limit: TOO_LARGE', async () => {
      const big = await signAsPolice({ body: { ...notice, text: 'x'.repeat(1024 * 1024) } });
      await expectRefused(verifyEnvelope(big, options()), ExchangeErrorCode.TOO_LARGE);
      await expectRefused(
        verifyEnvelope(await signAsPolice(), options({ maxBytes: 1000 })),
        ExchangeErrorCode.TOO_LARGE,
      );
    });
  });

  describe('rotation and revocation', () => {
    it('a rotated-out key verifies within its grace period and is KID_RETIRED after it', async () => {
      const node = await makeNode('health', store);
      const old = await signEnvelope(draft({ iss: 'health' }), node.sig);
      const next = await generateSigningKeyPair();
      store.add('health', next);
      store.update(node.sig.kid, {
        status: 'retiring',
        retireAfter: new Date(NOW.getTime() + 7 * DAY_MS),
      });

      await expect(verifyEnvelope(old, options())).resolves.toBeDefined();
      await expect(
        verifyEnvelope(await signEnvelope(draft({ iss: 'health' }), next), options()),
      ).resolves.toBeDefined();

      const afterGrace = new Date(NOW.getTime() + 8 * DAY_MS);
      const lateOld = await signEnvelope(
        draft({ iss: 'health', iat: Math.floor(afterGrace.getTime() / 1000) }),
        node.sig,
      );
      await expectRefused(
        verifyEnvelope(lateOld, options({ now: afterGrace })),
        ExchangeErrorCode.KID_RETIRED,
      );
    });

    it('a revoked key is refused at once, even inside a grace period: KID_REVOKED', async () => {
      const node = await makeNode('marac', store);
      const jws = await signEnvelope(draft({ iss: 'marac' }), node.sig);
      await expect(verifyEnvelope(jws, options())).resolves.toBeDefined();
      store.update(node.sig.kid, {
        status: 'revoked',
        retireAfter: new Date(NOW.getTime() + DAY_MS),
      });
      await expectRefused(verifyEnvelope(jws, options()), ExchangeErrorCode.KID_REVOKED);
    });

    it('a key whose validity has not begun: KID_NOT_YET_VALID', async () => {
      const node = await makeNode('social-care', store);
      store.update(node.sig.kid, { notBefore: new Date(NOW.getTime() + DAY_MS) });
      await expectRefused(
        verifyEnvelope(await signEnvelope(draft({ iss: 'social-care' }), node.sig), options()),
        ExchangeErrorCode.KID_NOT_YET_VALID,
      );
    });

    it('a node decrypts records encrypted to its previous key while it still holds it', async () => {
      const previous = await generateEncryptionKeyPair();
      const jwe = await encryptEnvelope(await signAsPolice(), previous.publicJwk);
      const keys: DecryptionKeys = {
        nodeId: 'education',
        encryption: new Map([
          [education.enc.kid, education.enc.privateKey],
          [previous.kid, previous.privateKey],
        ]),
      };
      await expect(
        verifyEnvelope(await decryptEnvelope(jwe, keys), options()),
      ).resolves.toBeDefined();
    });
  });

  it('gives each refusal its own code', () => {
    const codes = Object.values(ExchangeErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
