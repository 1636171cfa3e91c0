import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { AuditEnv } from '../config/audit.env';
import { RegisteredSigningKeys } from './registered-signing-keys.service';

/** A registry on a real socket whose key list the test changes, counting its reads. */
class FakeRegistry {
  kids: string[] = [];
  reads = 0;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_request, response) => {
      this.reads += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: this.kids.map((kid) => ({ kty: 'OKP', kid })) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/nodes/`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()));
  }
}

describe('RegisteredSigningKeys', () => {
  const registry = new FakeRegistry();
  let keys: RegisteredSigningKeys;

  beforeAll(async () => {
    const url = await registry.start();
    keys = new RegisteredSigningKeys({ AUDIT_REGISTRY_URL: url } as AuditEnv);
  });
  afterAll(() => registry.stop());

  it('finds a key registered just after the set was cached, for a record produced after that', async () => {
    registry.kids = ['old'];
    expect(await keys.keyOf('hub', 'old')).toMatchObject({ kid: 'old' });

    // The node registers a new key and signs an event with it at once (it started or rotated).
    registry.kids = ['old', 'new'];
    expect(await keys.keyOf('hub', 'new', Date.now())).toMatchObject({ kid: 'new' });
  });

  it('refuses at once a kid the set lacks when the set was read after the record was produced', async () => {
    registry.kids = ['a'];
    await keys.keyOf('police', 'a');
    const reads = registry.reads;

    // Produced two seconds before the cached read: its key, were it registered, would be there.
    expect(await keys.keyOf('police', 'forged', Date.now() - 2_000)).toBeUndefined();
    expect(registry.reads).toBe(reads);
  });

  it('reads the registry at most four times a second however many forged kids arrive', async () => {
    registry.kids = ['b'];
    await keys.keyOf('health', 'b');
    const reads = registry.reads;
    const started = Date.now();

    for (let i = 0; i < 4; i += 1) {
      expect(await keys.keyOf('health', `forged-${i}`, Date.now() + 60_000)).toBeUndefined();
    }
    const seconds = (Date.now() - started) / 1_000;
    expect(registry.reads - reads).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
  });
});
