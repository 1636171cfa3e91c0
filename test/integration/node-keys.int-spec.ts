/**
 * Real: PostgreSQL with the hub's migrations, NodeKeyService on a TypeORM DataSource, jose.
 * Faked: nothing. Times are passed in (`now`) instead of waited for.
 */
import { ExchangeErrorCode, MessageTypeRegistry, TEST_NOTICE, TestNotice } from '@app/contracts';
import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  signEnvelope,
  verifyEnvelope,
} from '@app/crypto';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';
import { DataSource, QueryFailedError } from 'typeorm';

import { createTestNodes, openHubDatabase, removeTestNodes } from '../support/registry-fixtures';

const DAY_MS = 24 * 60 * 60 * 1000;
const notice: TestNotice = { title: 'Concern', text: 'text', priority: 'low' };

describe('node keys in the registry', () => {
  let db: DataSource;
  let keys: NodeKeyService;
  let nodeIds: string[] = [];
  const messageTypes = new MessageTypeRegistry().register(TEST_NOTICE);

  const verifyAt = (jws: string, now: Date) =>
    verifyEnvelope(jws, { resolveKey: (kid) => keys.resolve(kid), messageTypes, now });

  const envelope = (iss: string, now: Date) => ({
    iss,
    sub: 'subj-1',
    type: TEST_NOTICE.type,
    version: TEST_NOTICE.version,
    body: notice,
    iat: Math.floor(now.getTime() / 1000),
  });

  async function codeOf(attempt: Promise<unknown>): Promise<string> {
    return attempt.then(
      () => 'accepted',
      (error: { code?: string }) => error.code ?? String(error),
    );
  }

  beforeAll(async () => {
    db = await openHubDatabase();
    keys = new NodeKeyService(db.getRepository(NodeKeyEntity));
    nodeIds = await createTestNodes(db, ['police', 'education', 'health']);
  });

  afterAll(async () => {
    await removeTestNodes(db, nodeIds);
    await db.destroy();
  });

  it('rotates: the new kid is current, the old one verifies within the grace period only', async () => {
    const [police] = nodeIds;
    const first = await generateSigningKeyPair();
    const second = await generateSigningKeyPair();
    const t0 = new Date();
    await keys.register({ nodeId: police, publicJwk: first.publicJwk, notBefore: t0 });
    const signedBefore = await signEnvelope(envelope(police, t0), first);
    expect(await codeOf(verifyAt(signedBefore, t0))).toBe('accepted');

    const rotation = await keys.rotate(
      { nodeId: police, publicJwk: second.publicJwk },
      7 * 24 * 3600,
      t0,
    );
    expect(rotation.retired).toEqual([first.kid]);
    expect(await keys.current(police, 'sig')).toMatchObject({ kid: second.kid });

    const withinGrace = new Date(t0.getTime() + 6 * DAY_MS);
    const oldInGrace = await signEnvelope(envelope(police, withinGrace), first);
    expect(await codeOf(verifyAt(oldInGrace, withinGrace))).toBe('accepted');
    const fresh = await signEnvelope(envelope(police, withinGrace), second);
    expect(await codeOf(verifyAt(fresh, withinGrace))).toBe('accepted');

    const afterGrace = new Date(t0.getTime() + 7 * DAY_MS + 1000);
    const oldAfterGrace = await signEnvelope(envelope(police, afterGrace), first);
    expect(await codeOf(verifyAt(oldAfterGrace, afterGrace))).toBe(ExchangeErrorCode.KID_RETIRED);
    expect((await keys.jwks(withinGrace)).keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([first.kid, second.kid]),
    );
    expect((await keys.jwks(afterGrace)).keys.map((k) => k.kid)).not.toContain(first.kid);
  });

  it('revokes: refused at once, and gone from the JWKS', async () => {
    const [, education] = nodeIds;
    const sig = await generateSigningKeyPair();
    const now = new Date();
    await keys.register({ nodeId: education, publicJwk: sig.publicJwk, notBefore: now });
    const jws = await signEnvelope(envelope(education, now), sig);
    expect(await codeOf(verifyAt(jws, now))).toBe('accepted');

    const revoked = await keys.revoke(education, sig.kid);
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: expect.any(Date) });
    expect(await codeOf(verifyAt(jws, now))).toBe(ExchangeErrorCode.KID_REVOKED);
    expect((await keys.jwks()).keys.map((k) => k.kid)).not.toContain(sig.kid);
  });

  it('refuses a kid that belongs to another node than iss: KID_NODE_MISMATCH', async () => {
    const [, , health] = nodeIds;
    const sig = await generateSigningKeyPair();
    const now = new Date();
    await keys.register({ nodeId: health, publicJwk: sig.publicJwk, notBefore: now });
    const claimingPolice = await signEnvelope(envelope(nodeIds[0], now), sig);
    expect(await codeOf(verifyAt(claimingPolice, now))).toBe(ExchangeErrorCode.KID_NODE_MISMATCH);
  });

  it('holds one current key per node and use, and never a private member', async () => {
    const [, , health] = nodeIds;
    const second = await generateSigningKeyPair();
    await expect(
      keys.register({ nodeId: health, publicJwk: second.publicJwk }),
    ).rejects.toBeInstanceOf(QueryFailedError);

    const enc = await generateEncryptionKeyPair();
    const { exportJWK } = await import('jose');
    const privateJwk = {
      ...(await exportJWK(enc.privateKey)),
      kid: enc.kid,
      use: 'enc',
      alg: 'ECDH-ES',
    };
    await expect(keys.register({ nodeId: health, publicJwk: privateJwk })).rejects.toThrow(
      'refusing to register private key material',
    );
    // Past the service too: the table itself refuses.
    await expect(
      db.query(`INSERT INTO node_key (kid, node_id, use, public_jwk) VALUES ($1, $2, 'enc', $3)`, [
        enc.kid,
        health,
        JSON.stringify(privateJwk),
      ]),
    ).rejects.toThrow('node_key_public_only');
  });
});
