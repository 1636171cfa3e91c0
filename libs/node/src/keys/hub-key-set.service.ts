import { Inject, Injectable } from '@nestjs/common';
import { ResolvedKey } from '@app/crypto';
import { DependencyUnavailableError, SERVICE_ENV } from '@app/platform';
import { JWK } from 'jose';

import { HUB_NODE_ID, NodeServiceEnv } from '../config/node-service.env';

const REFRESH_COOLDOWN_MS = 5_000;
/** How long the hub's encryption key is used before the set is fetched again (rotation). */
const ENCRYPTION_KEY_MAX_AGE_MS = 60_000;

export const HUB_KEYS_UNAVAILABLE = 'HUB_KEYS_UNAVAILABLE';

/**
 * The hub's key set could not be fetched and no encryption key was ever cached, so nothing can be
 * sealed to the hub. Every use case seals before (or inside) the transaction that would store the
 * request, so nothing was stored: the platform answers an HTTP caller 503 with this message.
 */
export class HubKeyUnavailableError extends DependencyUnavailableError {
  constructor(detail: string) {
    super(
      HUB_KEYS_UNAVAILABLE,
      "the exchange hub's keys are not available; nothing was stored; retry later",
      detail,
    );
    this.name = 'HubKeyUnavailableError';
  }
}

/**
 * The hub's public keys, from HUB_JWKS_URL over HTTP (never from the hub's database), cached and
 * refetched when an envelope names a kid the cache does not know (the hub rotated its key).
 * Only the hub's own key set: a key there belongs to the hub, so `iss` must be `hub`. The set
 * also holds the hub's current encryption key (`use: "enc"`), which every record this node
 * sends to the hub is encrypted to.
 */
@Injectable()
export class HubKeySet {
  private keys = new Map<string, JWK>();
  private fetchedAt = 0;
  private fetching: Promise<void> | null = null;

  constructor(@Inject(SERVICE_ENV) private readonly env: NodeServiceEnv) {}

  /**
   * The hub's key with this kid. A kid the cache lacks fetches the set; when the hub cannot be
   * reached that is a dependency down (HubKeyUnavailableError, transient), never a reason to
   * refuse the record: a node restarted while the hub is away has an empty cache, and the
   * deliveries it consumes then must wait for the hub, not be dead-lettered.
   */
  async resolve(kid: string): Promise<ResolvedKey | undefined> {
    if (!this.keys.has(kid) && Date.now() - this.fetchedAt > REFRESH_COOLDOWN_MS) {
      await this.refresh().catch((error: unknown) => {
        throw new HubKeyUnavailableError(
          `the hub's key set is unreachable: ${(error as Error).message}`,
        );
      });
    }
    const jwk = this.keys.get(kid);
    if (!jwk) return undefined;
    return {
      kid,
      nodeId: HUB_NODE_ID,
      use: jwk.use === 'enc' ? 'enc' : 'sig',
      jwk,
      // The hub publishes only keys usable now; a revoked one leaves the set within a minute.
      status: 'active',
      notBefore: new Date(0),
      retireAfter: null,
    };
  }

  /**
   * The hub's current encryption key. Refetched after a minute so a rotation reaches senders;
   * when the hub cannot be reached the last key fetched is still used (the hub keeps rotated
   * keys to decrypt with), so a hub restart does not stop submissions.
   */
  async encryptionKey(): Promise<JWK> {
    if (!this.currentEnc() || Date.now() - this.fetchedAt > ENCRYPTION_KEY_MAX_AGE_MS) {
      await this.refresh().catch((error: unknown) => {
        if (!this.currentEnc()) {
          throw new HubKeyUnavailableError(
            `the hub's key set is unreachable: ${(error as Error).message}`,
          );
        }
      });
    }
    const key = this.currentEnc();
    if (!key) throw new HubKeyUnavailableError("the hub's key set has no encryption key");
    return key;
  }

  private currentEnc(): JWK | undefined {
    return [...this.keys.values()].find((key) => key.use === 'enc');
  }

  private refresh(): Promise<void> {
    this.fetching ??= (async () => {
      try {
        const response = await fetch(this.env.HUB_JWKS_URL, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`hub JWKS answered ${response.status}`);
        const set = (await response.json()) as { keys?: JWK[] };
        this.keys = new Map((set.keys ?? []).filter((k) => k.kid).map((k) => [k.kid!, k]));
        this.fetchedAt = Date.now();
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}
