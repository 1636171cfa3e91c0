import { Injectable } from '@nestjs/common';
import { ExchangeErrorCode } from '@app/contracts';
import { MailboxEntity, MailboxKind, NodeEntity, RegistryService } from '@app/registry';

/** Where a MARAC's message to a member goes, and where the member's answer comes back. */
export interface MemberTarget {
  mailbox: MailboxEntity;
  maracNode: NodeEntity;
  /** The MARAC coordinator's mailbox on the sending node: answers and updates go there. */
  coordinator: MailboxEntity;
}

export interface MemberRefusal {
  code: ExchangeErrorCode;
  reason: string;
}

/**
 * The hub's own check that a MARAC writes only to its members: the named mailbox exists, is the
 * named agency's (and of the kind the message needs), and that agency is a member of the
 * sending node's MARAC in the registry's `marac_member`. Nothing in the message decides
 * membership, so a MARAC's misconfigured members file cannot reach a non-member.
 */
@Injectable()
export class MaracMemberMailboxes {
  constructor(private readonly registry: RegistryService) {}

  async resolve(
    senderNodeId: string,
    mailboxId: string,
    agencyId: string,
    kind?: MailboxKind,
  ): Promise<MemberTarget | MemberRefusal> {
    const maracNode = await this.registry.findNode(senderNodeId);
    if (maracNode?.agency?.kind !== 'marac') {
      return {
        code: ExchangeErrorCode.NOT_A_MARAC_MEMBER,
        reason: 'only a MARAC node writes to MARAC members',
      };
    }
    const mailbox = await this.registry.findMailbox(mailboxId);
    if (!mailbox || (kind && mailbox.kind !== kind)) {
      return {
        code: ExchangeErrorCode.RECIPIENT_UNKNOWN,
        reason: kind ? `no ${kind} mailbox with this id` : 'no mailbox with this id',
      };
    }
    if (mailbox.node?.agencyId !== agencyId) {
      return {
        code: ExchangeErrorCode.AGENCY_MISMATCH,
        reason: 'the mailbox is not the named agency’s',
      };
    }
    if (!(await this.registry.isMaracMember(maracNode.agencyId, agencyId))) {
      return {
        code: ExchangeErrorCode.NOT_A_MARAC_MEMBER,
        reason: "the mailbox's agency is not a member of this MARAC",
      };
    }
    const coordinator = await this.registry.findMailboxByKind('marac-coordinator', maracNode.id);
    if (!coordinator) {
      return {
        code: ExchangeErrorCode.RECIPIENT_UNKNOWN,
        reason: 'the MARAC node has no coordinator mailbox for the answers',
      };
    }
    return { mailbox, maracNode, coordinator };
  }
}

export function isRefusal(target: MemberTarget | MemberRefusal): target is MemberRefusal {
  return 'code' in target;
}
