import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { DataSource } from 'typeorm';

import { AtRestSealer } from './at-rest-sealer.service';
import { NodeKeys } from './node-keys.service';

/** A value that looks sealed at rest (a five-part JWE with the at-rest content type). */
const sealed = `${Buffer.from(JSON.stringify({ alg: 'ECDH-ES', cty: 'sgx-at-rest' })).toString('base64url')}.a.b.c.d`;

function sealerWhoseKeys(decrypt: () => Promise<string>): AtRestSealer {
  return new AtRestSealer({ decrypt } as unknown as NodeKeys, {} as DataSource);
}

describe('a sealed value shown in a list', () => {
  it('is null when it is sealed to a key the node no longer holds, so the rest still lists', async () => {
    const sealer = sealerWhoseKeys(() =>
      Promise.reject(new ExchangeError(ExchangeErrorCode.NOT_ADDRESSED_TO_NODE, 'no such key')),
    );
    await expect(sealer.openInList(sealed)).resolves.toBeNull();
    // A single read still says what is wrong.
    await expect(sealer.open(sealed)).rejects.toMatchObject({
      code: ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
    });
  });

  it('is opened when the node holds its key, and any other failure is not hidden', async () => {
    await expect(
      sealerWhoseKeys(() => Promise.resolve('Assessment')).openInList(sealed),
    ).resolves.toBe('Assessment');
    await expect(
      sealerWhoseKeys(() => Promise.reject(new Error('keys not loaded'))).openInList(sealed),
    ).rejects.toThrow('keys not loaded');
  });
});
