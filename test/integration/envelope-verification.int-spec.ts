/**
 * Real: the hub's Nest application (HTTP, Kafka transport, PostgreSQL), its EnvelopeVerifierService
 * and seen_jti table, jose's own JWKS verifier. Faked: nothing. The test registers the test-notice
 * message type, which production does not carry.
 */
import { randomUUID } from 'node:crypto';

import { ENVELOPE_TYP, ExchangeErrorCode, MessageTypeRegistry, TEST_NOTICE } from '@app/contracts';
import { generateEncryptionKeyPair, generateSigningKeyPair, signEnvelope } from '@app/crypto';
import { NodeKeyService } from '@app/registry';
import { compactVerify, createLocalJWKSet } from 'jose';
import { DataSource } from 'typeorm';

import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { ReplayGuardService } from '../../apps/hub/src/replay/replay-guard.service';
import { EnvelopeVerifierService } from '../../apps/hub/src/verification/envelope-verifier.service';
import { MESSAGE_TYPES } from '../../apps/hub/src/verification/message-types.token';
import { RunningService, startService } from '../support/service-harness';
import { createTestNodes, removeTestNodes } from '../support/registry-fixtures';

describe('hub envelope verification and JWKS', () => {
  let hub: RunningService;
  let db: DataSource;
  let nodeIds: string[] = [];
  let police: string;
  let signing: Awaited<ReturnType<typeof generateSigningKeyPair>>;
  let encryption: Awaited<ReturnType<typeof generateEncryptionKeyPair>>;

  const draft = (extra: object = {}) => ({
    iss: police,
    sub: `subj-${randomUUID()}`,
    type: TEST_NOTICE.type,
    version: TEST_NOTICE.version,
    body: { title: 'Concern', text: 'Seen at school with an injury', priority: 'high' },
    ...extra,
  });

  async function codeOf(attempt: Promise<unknown>): Promise<string> {
    return attempt.then(
      () => 'accepted',
      (error: { code?: string }) => error.code ?? String(error),
    );
  }

  beforeAll(async () => {
    hub = await startService(HubModule);
    hub.app.get<MessageTypeRegistry>(MESSAGE_TYPES).register(TEST_NOTICE);
    db = hub.app.get(DataSource);
    nodeIds = await createTestNodes(db, ['police']);
    [police] = nodeIds;
    signing = await generateSigningKeyPair();
    encryption = await generateEncryptionKeyPair();
    const keys = hub.app.get(NodeKeyService);
    await keys.register({ nodeId: police, publicJwk: signing.publicJwk });
    await keys.register({ nodeId: police, publicJwk: encryption.publicJwk });
  });

  afterAll(async () => {
    if (db) {
      await db.query('DELETE FROM seen_jti WHERE iss = ANY($1)', [nodeIds]);
      await removeTestNodes(db, nodeIds);
    }
    await hub?.app.close();
  });

  it('accepts an envelope once and refuses the same jti again: REPLAYED', async () => {
    const verifier = hub.app.get(EnvelopeVerifierService);
    const jws = await signEnvelope(draft(), signing);
    const verified = await verifier.verify(jws);
    expect(verified.claims.iss).toBe(police);
    expect(await codeOf(verifier.verify(jws))).toBe(ExchangeErrorCode.REPLAYED);

    const rows = await db.query('SELECT iss, expires_at FROM seen_jti WHERE jti = $1', [
      verified.claims.jti,
    ]);
    expect(rows).toEqual([
      { iss: police, expires_at: new Date((verified.claims.exp + 60) * 1000) },
    ]);
  });

  it('does not burn the id of a refused envelope', async () => {
    const verifier = hub.app.get(EnvelopeVerifierService);
    const jti = randomUUID();
    const badBody = await signEnvelope(draft({ jti, body: { title: 'x' } }), signing);
    expect(await codeOf(verifier.verify(badBody))).toBe(ExchangeErrorCode.SCHEMA_INVALID);
    expect(await db.query('SELECT 1 FROM seen_jti WHERE jti = $1', [jti])).toEqual([]);
  });

  it('refuses an envelope over ENVELOPE_MAX_BYTES (default 1 MiB): TOO_LARGE', async () => {
    const verifier = hub.app.get(EnvelopeVerifierService);
    const big = await signEnvelope(
      draft({ body: { title: 'x', text: 'y'.repeat(1024 * 1024), priority: 'low' } }),
      signing,
    );
    expect(await codeOf(verifier.verify(big))).toBe(ExchangeErrorCode.TOO_LARGE);
  });

  it('purges the ids of expired envelopes only', async () => {
    const guard = hub.app.get(ReplayGuardService);
    const expired = randomUUID();
    const live = randomUUID();
    await guard.admit(expired, police, new Date(Date.now() - 1000));
    await guard.admit(live, police, new Date(Date.now() + 3_600_000));
    await guard.purgeExpired();
    const left = await db.query('SELECT jti FROM seen_jti WHERE jti = ANY($1)', [[expired, live]]);
    expect(left).toEqual([{ jti: live }]);
  });

  it('serves a standard JWKS without private members that jose verifies an envelope with', async () => {
    const response = await fetch(`${hub.url}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/jwk-set\+json/);
    const text = await response.text();
    const jwks = JSON.parse(text) as { keys: Record<string, unknown>[] };

    expect(text).not.toMatch(/"d"\s*:/);
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).toEqual(
        expect.objectContaining({
          kid: expect.any(String),
          use: expect.any(String),
          alg: expect.any(String),
        }),
      );
    }
    expect(jwks.keys.find((k) => k.kid === signing.kid)).toEqual(signing.publicJwk);
    expect(jwks.keys.find((k) => k.kid === encryption.kid)).toEqual(encryption.publicJwk);

    // Only jose and the published set: no code of this project on the verifying side.
    const jws = await signEnvelope(draft(), signing);
    const { protectedHeader, payload } = await compactVerify(
      jws,
      createLocalJWKSet(jwks as never),
      {
        algorithms: ['EdDSA'],
      },
    );
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: signing.kid, typ: ENVELOPE_TYP });
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ iss: police });
  });
});
