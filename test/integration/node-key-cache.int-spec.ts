/**
 * Real: PostgreSQL with the hub's migrations (the node_key trigger), NodeKeyCache's LISTEN
 * connection, NodeKeyService, jose. The "other process" is a second DataSource changing keys as
 * `npm run keys` does. Faked: nothing.
 */
import { ExchangeErrorCode, MessageTypeRegistry, TEST_NOTICE, TestNotice } from '@app/contracts';
import { generateSigningKeyPair, NodeKeyPair, signEnvelope, verifyEnvelope } from '@app/crypto';
import { NodeKeyCache, NodeKeyEntity, NodeKeyService } from '@app/registry';
import { DataSource, Repository } from 'typeorm';

import { createTestNodes, openHubDatabase, removeTestNodes } from '../support/registry-fixtures';
import { eventually } from '../support/service-harness';

const notice: TestNotice = { title: 'Concern', text: 'text', priority: 'low' };

describe("the hub's cache of node keys", () => {
  let db: DataSource;
  let otherProcess: DataSource;
  let cache: NodeKeyCache;
  let keys: NodeKeyService;
  let repository: Repository<NodeKeyEntity>;
  let nodeIds: string[] = [];
  const messageTypes = new MessageTypeRegistry().register(TEST_NOTICE);

  const verify = (jws: string) =>
    verifyEnvelope(jws, { resolveKey: (kid) => keys.resolve(kid), messageTypes }).then(
      () => 'accepted',
      (error: { code?: string }) => error.code ?? String(error),
    );
  const signedBy = (nodeId: string, pair: NodeKeyPair) =>
    signEnvelope(
      {
        iss: nodeId,
        sub: 'subj-1',
        type: TEST_NOTICE.type,
        version: TEST_NOTICE.version,
        body: notice,
        iat: Math.floor(Date.now() / 1000),
      },
      pair,
    );
  const listening = () => eventually(async () => cache.caching || undefined, { what: 'LISTEN' });

  beforeAll(async () => {
    [db, otherProcess] = await Promise.all([openHubDatabase(), openHubDatabase()]);
    repository = db.getRepository(NodeKeyEntity);
    cache = new NodeKeyCache(db);
    cache.onApplicationBootstrap();
    keys = new NodeKeyService(repository, cache);
    nodeIds = await createTestNodes(db, ['police', 'education']);
    await listening();
  });

  afterAll(async () => {
    await cache.onApplicationShutdown();
    await removeTestNodes(db, nodeIds);
    await Promise.all([db.destroy(), otherProcess.destroy()]);
  });

  it('reads a key from the table once while nothing changes it', async () => {
    const pair = await generateSigningKeyPair();
    await keys.register({ nodeId: nodeIds[0], publicJwk: pair.publicJwk });
    const reads = jest.spyOn(repository, 'findOneBy');
    try {
      const jws = await signedBy(nodeIds[0], pair);
      for (let i = 0; i < 5; i += 1) expect(await verify(jws)).toBe('accepted');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses a key at the first verification after another process revoked it', async () => {
    const pair = await generateSigningKeyPair();
    await keys.register({ nodeId: nodeIds[1], publicJwk: pair.publicJwk });
    const jws = await signedBy(nodeIds[1], pair);
    expect(await verify(jws)).toBe('accepted');
    expect(await verify(jws)).toBe('accepted'); // now from the cache

    await new NodeKeyService(otherProcess.getRepository(NodeKeyEntity)).revoke(
      nodeIds[1],
      pair.kid,
    );
    // The NOTIFY arrives a moment after the commit: the next look-up after it reads the table.
    await eventually(
      async () => ((await verify(jws)) === ExchangeErrorCode.KID_REVOKED ? true : undefined),
      { what: 'KID_REVOKED', timeoutMs: 2_000, intervalMs: 20 },
    );
  });

  it("gives a node's new current key once another process rotated it", async () => {
    const first = await generateSigningKeyPair();
    const second = await generateSigningKeyPair();
    await keys.rotate({ nodeId: nodeIds[0], publicJwk: first.publicJwk }, 3600);
    expect(await keys.current(nodeIds[0], 'sig')).toMatchObject({ kid: first.kid });

    await new NodeKeyService(otherProcess.getRepository(NodeKeyEntity)).rotate(
      { nodeId: nodeIds[0], publicJwk: second.publicJwk },
      3600,
    );
    await eventually(
      async () => ((await keys.current(nodeIds[0], 'sig'))?.kid === second.kid ? true : undefined),
      { what: 'the rotated key', timeoutMs: 2_000, intervalMs: 20 },
    );
  });

  it('listens again after its connection is cut, and a revocation after that still holds', async () => {
    await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'hub-node-keys-listener' AND pid <> pg_backend_pid()`,
    );
    await eventually(async () => (cache.caching ? undefined : true), {
      what: 'the lost connection noticed',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    await listening();

    const pair = await generateSigningKeyPair();
    await keys.register({ nodeId: nodeIds[1], publicJwk: pair.publicJwk });
    const jws = await signedBy(nodeIds[1], pair);
    expect(await verify(jws)).toBe('accepted');
    await otherProcess.query(
      `UPDATE node_key SET status = 'revoked', revoked_at = now() WHERE kid = $1`,
      [pair.kid],
    );
    await eventually(
      async () => ((await verify(jws)) === ExchangeErrorCode.KID_REVOKED ? true : undefined),
      { what: 'KID_REVOKED after listening again', timeoutMs: 2_000, intervalMs: 20 },
    );
  });
});
