import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { generateSigningKeyPair } from '@app/crypto';
import { classifyRecordFailure } from '@app/messaging';

import { NodeServiceEnv } from '../config/node-service.env';
import { HubKeySet } from './hub-key-set.service';

/** The hub's key set served by an in-process HTTP server that can answer, fail or be gone. */
async function hubJwks(answer: () => { status: number; body: unknown }): Promise<Server> {
  const server = createServer((_request, response) => {
    const { status, body } = answer();
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const urlOf = (server: Server) =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/hub-jwks.json`;

const keySetAt = (url: string) => new HubKeySet({ HUB_JWKS_URL: url } as NodeServiceEnv);

describe('HubKeySet.resolve (issue 15: a delivery consumed while the hub is away)', () => {
  it('a node whose cache is empty (just restarted) waits for a hub it cannot reach: the failure is transient, so the record is retried, not dead-lettered', async () => {
    const gone = await hubJwks(() => ({ status: 200, body: { keys: [] } }));
    const url = urlOf(gone);
    await new Promise((resolve) => gone.close(resolve));

    const error = await keySetAt(url)
      .resolve('some-hub-kid')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Error);
    expect(classifyRecordFailure(error)).toMatchObject({ kind: 'transient' });
    expect((error as Error).message).toContain("the hub's key set is unreachable");
  });

  it('a hub answering 503 (its database cut) is transient too, and once it answers the kid resolves', async () => {
    const signing = await generateSigningKeyPair();
    let status = 503;
    const hub = await hubJwks(() => ({
      status,
      body: status === 200 ? { keys: [{ ...signing.publicJwk, use: 'sig' }] } : {},
    }));
    try {
      const keys = keySetAt(urlOf(hub));
      const error = await keys.resolve(signing.kid).catch((e: unknown) => e);
      expect(classifyRecordFailure(error)).toMatchObject({ kind: 'transient' });

      status = 200;
      await expect(keys.resolve(signing.kid)).resolves.toMatchObject({
        kid: signing.kid,
        nodeId: 'hub',
        use: 'sig',
      });
    } finally {
      await new Promise((resolve) => hub.close(resolve));
    }
  });

  it('a kid the hub does not publish, with the hub reachable, resolves to nothing (refused as KID_UNKNOWN by the verifier)', async () => {
    const hub = await hubJwks(() => ({ status: 200, body: { keys: [] } }));
    try {
      await expect(keySetAt(urlOf(hub)).resolve('not-a-hub-kid')).resolves.toBeUndefined();
    } finally {
      await new Promise((resolve) => hub.close(resolve));
    }
  });
});
