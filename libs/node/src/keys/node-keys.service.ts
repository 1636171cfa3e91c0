import path from 'node:path';

import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { loadNodeKeyring, NodeKeyring } from '@app/crypto';
import { TransientDependencyError, describeError } from '@app/messaging';
import { BaseServiceEnv, SERVICE_ENV } from '@app/platform';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';

/**
 * This node's private keys, loaded from `KEYS_DIR/<nodeId>` at start-up. A node without keys
 * still starts (health, docs) and says so; signing and decrypting then fail and are retried, so
 * nothing is lost while an operator runs `npm run keys -- generate`.
 */
@Injectable()
export class NodeKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(NodeKeys.name);
  private loading: Promise<NodeKeyring> | null = null;

  constructor(
    @Inject(SERVICE_ENV) private readonly env: BaseServiceEnv,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  private get nodeId(): string {
    return this.identity.nodeId;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const ring = await this.keyring();
      this.logger.log(`keys of node ${this.nodeId} loaded (signing kid ${ring.signing.kid})`);
    } catch (error) {
      this.logger.warn(`node ${this.nodeId} has no usable keys yet: ${describeError(error)}`);
    }
  }

  keyring(): Promise<NodeKeyring> {
    if (!this.loading) {
      this.loading = loadNodeKeyring(path.resolve(this.env.KEYS_DIR), this.nodeId).catch(
        (error: unknown) => {
          this.loading = null;
          // Transient for a Kafka handler: the record waits for the operator, it is not refused.
          throw new TransientDependencyError(
            `keys of node ${this.nodeId} unavailable: ${describeError(error)}`,
          );
        },
      );
    }
    return this.loading;
  }
}
