import path from 'node:path';

import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { loadNodeKeyring, NodeKeyring } from '@app/crypto';

import { HubEnv } from '../config/hub.env';

/** The hub's node id in the registry; its public keys are there like every node's. */
export const HUB_NODE_ID = 'hub';

/**
 * The hub's own signing key (it countersigns every view, receipt, rejection and escalation),
 * loaded from `KEYS_DIR/hub`. Missing keys are reported at start-up; signing then fails and the
 * record is retried, so nothing is lost while an operator generates them.
 */
@Injectable()
export class HubKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger(HubKeys.name);
  private loading: Promise<NodeKeyring> | null = null;

  constructor(private readonly env: HubEnv) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const ring = await this.keyring();
      this.logger.log(`hub signing key ${ring.signing.kid} loaded`);
    } catch (error) {
      this.logger.warn(`the hub has no usable keys yet: ${(error as Error).message}`);
    }
  }

  keyring(): Promise<NodeKeyring> {
    this.loading ??= loadNodeKeyring(path.resolve(this.env.KEYS_DIR), HUB_NODE_ID).catch(
      (error: unknown) => {
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }
}
