import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { MailboxEntity, MailboxKind } from './entities/mailbox.entity';
import { MaracMemberEntity } from './entities/marac-member.entity';
import { NodeEntity } from './entities/node.entity';

/** Read access to agencies, nodes and mailboxes, for routing. */
@Injectable()
export class RegistryService {
  constructor(
    @InjectRepository(NodeEntity) private readonly nodes: Repository<NodeEntity>,
    @InjectRepository(MailboxEntity) private readonly mailboxes: Repository<MailboxEntity>,
    @InjectRepository(MaracMemberEntity)
    private readonly maracMembers: Repository<MaracMemberEntity>,
  ) {}

  /** The node with its agency, or null. */
  findNode(nodeId: string): Promise<NodeEntity | null> {
    return this.nodes.findOne({ where: { id: nodeId }, relations: { agency: true } });
  }

  /** A mailbox by its id, with its node and agency, or null. */
  findMailbox(mailboxId: string): Promise<MailboxEntity | null> {
    return this.mailboxes.findOne({
      where: { id: mailboxId },
      relations: { node: { agency: true } },
    });
  }

  /** The mailbox an outside identifier routes to (a school's URN), with its node and agency. */
  findMailboxByExternalRef(kind: MailboxKind, externalRef: string): Promise<MailboxEntity | null> {
    return this.mailboxes.findOne({
      where: { kind, externalRef },
      relations: { node: { agency: true } },
    });
  }

  /** The first mailbox of a kind, optionally on one node (e.g. the LA education mailbox, a node's escalation mailbox). */
  findMailboxByKind(kind: MailboxKind, nodeId?: string): Promise<MailboxEntity | null> {
    return this.mailboxes.findOne({
      where: { kind, ...(nodeId ? { nodeId } : {}) },
      relations: { node: { agency: true } },
      order: { id: 'ASC' },
    });
  }

  /** The MARAC coordinator's mailbox of an area: where the area's MARAC referrals go. */
  findMaracCoordinator(area: string): Promise<MailboxEntity | null> {
    return this.mailboxes.findOne({
      where: { kind: 'marac-coordinator', node: { agency: { area, kind: 'marac' } } },
      relations: { node: { agency: true } },
      order: { id: 'ASC' },
    });
  }

  /** Whether an agency is a member of a MARAC (the registry's `marac_member`). */
  isMaracMember(maracAgencyId: string, agencyId: string): Promise<boolean> {
    return this.maracMembers.existsBy({ maracAgencyId, memberAgencyId: agencyId });
  }
}
