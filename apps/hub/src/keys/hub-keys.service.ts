import path from 'node:path';

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NodeKeyring, ReloadingKeyring } from '@app/crypto';
import { TransientDependencyError, describeError } from '@app/messaging';

import { HubEnv } from '../config/hub.env';

/** The hub's node id in the registry; its public keys are there like every node's. */
export const HUB_NODE_ID = 'hub';

/**
 * The hub's own keys: the signing key (it countersigns every view, receipt, rejection and
 * escalation) and every encryption key on file (nodes encrypt submissions and receipts to it;
 * rotated-out keys still decrypt what was sent before the rotation), loaded from `KEYS_DIR/hub`
 * and followed through rotations while the hub runs (ReloadingKeyring, shared with the nodes).
 * Missing keys are reported at start-up; signing then fails and the record is retried, so
 * nothing is lost while an operator generates them.
 */
@Injectable()
export class HubKeys implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HubKeys.name);
  private readonly ring: ReloadingKeyring;

  constructor(env: HubEnv) {
    this.ring = new ReloadingKeyring({
      keysDir: path.resolve(env.KEYS_DIR),
      nodeId: HUB_NODE_ID,
      // Transient for a Kafka handler: the record waits for the operator, it is not refused.
      loadError: (error) =>
        new TransientDependencyError(`hub keys unavailable: ${describeError(error)}`),
      onReloaded: (ring) =>
        this.logger.log(
          `hub keys reloaded (signing kid ${ring.signing.kid}, encryption kid ${ring.currentEncryptionKid})`,
        ),
      onReloadFailed: (error) =>
        this.logger.warn(
          `hub keys could not be reloaded; the previous ones stay in use: ${describeError(error)}`,
        ),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const ring = await this.keyring();
      this.logger.log(`hub signing key ${ring.signing.kid} loaded`);
    } catch (error) {
      this.logger.warn(`the hub has no usable keys yet: ${describeError(error)}`);
    }
  }

  onApplicationShutdown(): void {
    this.ring.close();
  }

  keyring(): Promise<NodeKeyring> {
    return this.ring.keyring();
  }

  /** Opens a JWE sealed to the hub, following a rotation of its keys (see ReloadingKeyring). */
  decrypt(jwe: string, maxBytes?: number): Promise<string> {
    return this.ring.decrypt(jwe, maxBytes);
  }
}
