import { Injectable } from '@nestjs/common';
import {
  AgencyEntity,
  MailboxEntity,
  MaracMemberEntity,
  NodeEntity,
  NodeKeyEntity,
} from '@app/registry';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { MAILBOX_RECEIVES } from './mailbox-receives';

export interface RegistryOverview {
  agencies: { id: string; name: string; kind: string; area: string }[];
  nodes: { id: string; agencyId: string; status: string; kafkaPrincipal: string }[];
  mailboxes: {
    id: string;
    nodeId: string;
    kind: string;
    displayName: string;
    externalRef: string | null;
    receives: string;
  }[];
  maracMembers: { maracAgencyId: string; memberAgencyId: string }[];
  /** Public keys only: kid, use, status and dates; never a key's material. */
  keys: {
    kid: string;
    nodeId: string;
    use: string;
    status: string;
    createdAt: string;
    ageDays: number;
    /** When a key being rotated out stops verifying; null for a current or revoked key. */
    expiresAt: string | null;
    revokedAt: string | null;
    rotating: boolean;
  }[];
}

const DAY_MS = 86_400_000;

/** The registry as the administrator sees it: who is in the exchange and with which keys. */
@Injectable()
export class RegistryOverviewService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async overview(): Promise<RegistryOverview> {
    const [agencies, nodes, mailboxes, members, keys] = await Promise.all([
      this.db.getRepository(AgencyEntity).find({ order: { id: 'ASC' } }),
      this.db.getRepository(NodeEntity).find({ order: { id: 'ASC' } }),
      this.db.getRepository(MailboxEntity).find({ order: { nodeId: 'ASC', id: 'ASC' } }),
      this.db
        .getRepository(MaracMemberEntity)
        .find({ order: { maracAgencyId: 'ASC', memberAgencyId: 'ASC' } }),
      this.db.getRepository(NodeKeyEntity).find({
        select: {
          kid: true,
          nodeId: true,
          use: true,
          status: true,
          createdAt: true,
          retireAfter: true,
          revokedAt: true,
        },
        order: { nodeId: 'ASC', use: 'ASC', createdAt: 'DESC' },
      }),
    ]);
    const now = this.clock.now().getTime();
    return {
      agencies: agencies.map(({ id, name, kind, area }) => ({ id, name, kind, area })),
      nodes: nodes.map(({ id, agencyId, status, kafkaPrincipal }) => ({
        id,
        agencyId,
        status,
        kafkaPrincipal,
      })),
      mailboxes: mailboxes.map(({ id, nodeId, kind, displayName, externalRef }) => ({
        id,
        nodeId,
        kind,
        displayName,
        externalRef,
        receives: MAILBOX_RECEIVES[kind],
      })),
      maracMembers: members.map(({ maracAgencyId, memberAgencyId }) => ({
        maracAgencyId,
        memberAgencyId,
      })),
      keys: keys.map((key) => ({
        kid: key.kid,
        nodeId: key.nodeId,
        use: key.use,
        status: key.status,
        createdAt: key.createdAt.toISOString(),
        ageDays: Math.floor((now - key.createdAt.getTime()) / DAY_MS),
        expiresAt:
          key.status === 'retiring' && key.retireAfter ? key.retireAfter.toISOString() : null,
        revokedAt: key.revokedAt?.toISOString() ?? null,
        rotating: key.status === 'retiring',
      })),
    };
  }
}
