import path from 'node:path';

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { NodeKeyring, ReloadingKeyring } from '@app/crypto';
import { TransientDependencyError, describeError } from '@app/messaging';
import { BaseServiceEnv, SERVICE_ENV } from '@app/platform';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';

/**
 * This node's private keys from `KEYS_DIR/<nodeId>`, following rotations while it runs
 * (ReloadingKeyring): after `npm run keys -- rotate` it signs with the new key and opens records
 * sealed to the new one, and still opens those sealed to the retiring one. A node without keys
 * still starts (health, docs) and says so; signing and decrypting then fail and are retried, so
 * nothing is lost while an operator runs `npm run keys -- generate`.
 */
@Injectable()
export class NodeKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NodeKeys.name);
  private readonly ring: ReloadingKeyring;

  constructor(
    @Inject(SERVICE_ENV) env: BaseServiceEnv,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {
    const nodeId = identity.nodeId;
    this.ring = new ReloadingKeyring({
      keysDir: path.resolve(env.KEYS_DIR),
      nodeId,
      // Transient for a Kafka handler: the record waits for the operator, it is not refused.
      loadError: (error) =>
        new TransientDependencyError(`keys of node ${nodeId} unavailable: ${describeError(error)}`),
      onReloaded: (ring) =>
        this.logger.log(
          `keys of node ${nodeId} reloaded (signing kid ${ring.signing.kid}, encryption kid ${ring.currentEncryptionKid}, ${ring.encryption.size} encryption keys)`,
        ),
      onReloadFailed: (error) =>
        this.logger.warn(
          `keys of node ${nodeId} could not be reloaded; the previous ones stay in use: ${describeError(error)}`,
        ),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const ring = await this.keyring();
      this.logger.log(
        `keys of node ${this.identity.nodeId} loaded (signing kid ${ring.signing.kid})`,
      );
    } catch (error) {
      this.logger.warn(
        `node ${this.identity.nodeId} has no usable keys yet: ${describeError(error)}`,
      );
    }
  }

  onApplicationShutdown(): void {
    this.ring.close();
  }

  keyring(): Promise<NodeKeyring> {
    return this.ring.keyring();
  }

  /** Opens a JWE sealed to this node (a delivery, a stored inbox row). */
  decrypt(jwe: string, maxBytes?: number): Promise<string> {
    return this.ring.decrypt(jwe, maxBytes);
  }
}
