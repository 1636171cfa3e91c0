import path from 'node:path';

import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { loadNodeKeyring, NodeKeyring } from '@app/crypto';
import { TransientDependencyError, describeError } from '@app/messaging';

import { HubEnv } from '../config/hub.env';

/** The hub's node id in the registry; its public keys are there like every node's. */
export const HUB_NODE_ID = 'hub';

const RELOAD_COOLDOWN_MS = 5_000;

/**
 * The hub's own keys: the signing key (it countersigns every view, receipt, rejection and escalation) and
 * every encryption key on file (nodes encrypt submissions and receipts to it; rotated-out keys
 * still decrypt what was sent before the rotation), loaded from `KEYS_DIR/hub`. Missing keys are reported at start-up; signing then fails and the
 * record is retried, so nothing is lost while an operator generates them.
 */
@Injectable()
export class HubKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(HubKeys.name);
  private loading: Promise<NodeKeyring> | null = null;
  private reloadedAt = 0;

  constructor(private readonly env: HubEnv) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const ring = await this.keyring();
      this.logger.log(`hub signing key ${ring.signing.kid} loaded`);
    } catch (error) {
      this.logger.warn(`the hub has no usable keys yet: ${describeError(error)}`);
    }
  }

  /**
   * Reads the key directory again: after `npm run keys -- rotate --node hub --use enc` nodes
   * encrypt to the new kid, which the running hub must pick up without a restart. At most once
   * per cooldown, so records naming unknown kids cannot make the hub read its disk in a loop.
   */
  async reload(): Promise<NodeKeyring> {
    if (Date.now() - this.reloadedAt > RELOAD_COOLDOWN_MS) {
      this.reloadedAt = Date.now();
      this.loading = null;
    }
    return this.keyring();
  }

  keyring(): Promise<NodeKeyring> {
    this.loading ??= loadNodeKeyring(path.resolve(this.env.KEYS_DIR), HUB_NODE_ID).catch(
      (error: unknown) => {
        this.loading = null;
        // Transient for a Kafka handler: the record waits for the operator, it is not refused.
        throw new TransientDependencyError(`hub keys unavailable: ${describeError(error)}`);
      },
    );
    return this.loading;
  }
}
