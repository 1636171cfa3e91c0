import { Injectable } from '@nestjs/common';
import { TransientDependencyError } from '@app/messaging';
import { JWK } from 'jose';

import { AuditEnv } from '../config/audit.env';

/** How long a fetched key set is used before it is fetched again (a revocation takes this long). */
const MAX_AGE_MS = 60_000;
/**
 * An unknown kid fetches again no sooner than this after the last fetch (waiting out the rest), so
 * forged kids cannot make us poll the hub faster and one forged record holds its partition briefly.
 */
const REFETCH_INTERVAL_MS = 250;
/** Clocks of the producer and of this host may differ by this much. */
const CLOCK_SKEW_MS = 1_000;
/** Node ids as the registry has them; anything else names no node and is never looked up. */
const NODE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const MAX_CACHED_SETS = 1_000;
/** The set of every node's keys, cached under a name no node can have. */
const EVERY_NODE = '*';

interface CachedSet {
  keys: Map<string, JWK>;
  fetchedAt: number;
}

/**
 * The public signing keys the registry holds for each node, read over HTTP from the hub's node
 * directory (never from the hub's schema), cached for a minute and fetched again when an event
 * names a kid the cache lacks, unless the cached set was read after that event was produced. A hub that cannot be reached is a dependency down: the event is
 * retried until it answers, never refused for it.
 */
@Injectable()
export class RegisteredSigningKeys {
  private readonly sets = new Map<string, CachedSet>();
  private readonly fetching = new Map<string, Promise<CachedSet>>();

  constructor(private readonly env: AuditEnv) {}

  /**
   * The node's signing key with this kid, if the registry lists it as usable now. `producedAt`
   * is when the record naming it was produced: a key registered after our last fetch but before
   * then is fetched, not refused.
   */
  async keyOf(nodeId: string, kid: string, producedAt = Date.now()): Promise<JWK | undefined> {
    if (!NODE_ID.test(nodeId)) return undefined;
    return this.lookUp(
      nodeId,
      kid,
      new URL(`${encodeURIComponent(nodeId)}/jwks.json`, this.base()),
      producedAt,
    );
  }

  /** True when some node's registered signing key has this kid. */
  async isRegistered(kid: string, producedAt = Date.now()): Promise<boolean> {
    const url = new URL('../jwks.json', this.base());
    return (await this.lookUp(EVERY_NODE, kid, url, producedAt)) !== undefined;
  }

  private base(): string {
    const url = this.env.AUDIT_REGISTRY_URL;
    return url.endsWith('/') ? url : `${url}/`;
  }

  private async lookUp(
    name: string,
    kid: string,
    url: URL,
    producedAt: number,
  ): Promise<JWK | undefined> {
    let set = this.sets.get(name);
    if (!set || Date.now() - set.fetchedAt > MAX_AGE_MS) set = await this.fetchSet(name, url);
    if (set.keys.has(kid)) return set.keys.get(kid);
    // A set fetched well after the record was produced would hold its key, were it registered.
    // A timestamp in the future (a producer's clock, or a forger's) counts as now.
    if (set.fetchedAt > Math.min(producedAt, Date.now()) + CLOCK_SKEW_MS) return undefined;
    // The key may have been registered since that fetch (a node just started or rotated).
    const wait = set.fetchedAt + REFETCH_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const latest = this.sets.get(name);
    set = latest && latest.fetchedAt > set.fetchedAt ? latest : await this.fetchSet(name, url);
    return set.keys.get(kid);
  }

  private fetchSet(name: string, url: URL): Promise<CachedSet> {
    let pending = this.fetching.get(name);
    if (!pending) {
      pending = (async () => {
        // When the registry was read, not when its answer arrived: what a key postdates.
        const startedAt = Date.now();
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
          // 404: the registry has no such node, so it has no keys.
          if (!response.ok && response.status !== 404) {
            throw new Error(`the registry answered ${response.status}`);
          }
          const body = response.ok ? ((await response.json()) as { keys?: JWK[] }) : {};
          const keys = (body.keys ?? []).filter((key) => key.kid && key.use !== 'enc');
          const set = { keys: new Map(keys.map((key) => [key.kid!, key])), fetchedAt: startedAt };
          // Events may name any actor: bound what their look-ups can make us keep.
          if (this.sets.size >= MAX_CACHED_SETS) this.sets.clear();
          this.sets.set(name, set);
          return set;
        } catch (error) {
          throw new TransientDependencyError(
            `registry keys unavailable: ${(error as Error).message}`,
          );
        } finally {
          this.fetching.delete(name);
        }
      })();
      this.fetching.set(name, pending);
    }
    return pending;
  }
}
