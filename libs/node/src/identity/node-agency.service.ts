import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError, OwnAgency, SERVICE_ENV } from '@app/platform';

import { hubRegistryUrl, NodeServiceEnv } from '../config/node-service.env';
import { NODE_IDENTITY, NodeIdentity } from './node-identity';

/** How long the registry's answer is trusted before it is asked again (an agency re-homed). */
const MAX_AGE_MS = 60_000;

export const NODE_AGENCY_UNAVAILABLE = 'NODE_AGENCY_UNAVAILABLE';

/**
 * This node's agency, from the registry's entry for the node (served by the hub; nodes never read
 * its schema). Every agency-system token the node accepts must name it (AuthGuard). Cached for a
 * minute; while the registry cannot be reached the last answer is kept, and with no answer at all
 * agency-system requests are refused 503, never let through.
 */
@Injectable()
export class NodeAgency implements OwnAgency {
  private known: { agencyId: string; at: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(
    @Inject(SERVICE_ENV) private readonly env: NodeServiceEnv,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async agencyId(): Promise<string> {
    if (this.known && Date.now() - this.known.at < MAX_AGE_MS) return this.known.agencyId;
    try {
      return await this.fetch();
    } catch (error) {
      if (this.known) return this.known.agencyId;
      throw new DependencyUnavailableError(
        NODE_AGENCY_UNAVAILABLE,
        "this node's agency cannot be read from the exchange registry; nothing was stored; retry later",
        `registry entry of node ${this.identity.nodeId} unavailable: ${(error as Error).message}`,
      );
    }
  }

  private fetch(): Promise<string> {
    this.fetching ??= (async () => {
      try {
        const url = new URL(encodeURIComponent(this.identity.nodeId), hubRegistryUrl(this.env));
        const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        if (!response.ok) throw new Error(`registry answered ${response.status}`);
        const entry = (await response.json()) as { agencyId?: unknown };
        if (typeof entry.agencyId !== 'string' || entry.agencyId === '') {
          throw new Error('registry entry names no agency');
        }
        this.known = { agencyId: entry.agencyId, at: Date.now() };
        return entry.agencyId;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}
