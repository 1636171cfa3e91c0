import { Injectable } from '@nestjs/common';
import { ExchangeErrorCode, SharingStatementFields } from '@app/contracts';
import { MailboxKind } from '@app/registry';
import { EntityManager } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { DeliveredShare, RecipientView } from '../routing/route-plan';
import { SubmissionRouter } from '../routing/submission-router.service';
import { isRefusal, MaracMemberMailboxes, MemberTarget } from './marac-member-mailboxes.service';
import { maracStatement } from './marac-statement';

/** One message from a MARAC to one mailbox of a member agency. */
export interface MemberMessage<V extends object> {
  submission: VerifiedSubmission<SharingStatementFields>;
  mailboxId: string;
  agencyId: string;
  /** The kind the mailbox must be (an escalation goes to an escalation mailbox). */
  mailboxKind?: MailboxKind;
  /** What makes a second copy the same delivery (the request, action or overdue item's id). */
  dedupeKey: string;
  /** Codes and ids for the audit trail. */
  detail: string;
  view(fields: string[] | undefined, target: MemberTarget): RecipientView<V>;
  /** The hub's own record of the delivery, in the routing transaction. */
  record?(manager: EntityManager, target: MemberTarget, share: DeliveredShare): Promise<void>;
}

/**
 * Routes a MARAC's request, action or escalation to the one member mailbox it names: only if
 * the registry has the mailbox's agency as a member of the sending MARAC (otherwise a signed
 * rejection NOT_A_MARAC_MEMBER, and nothing is delivered), under the sharing policy with the
 * case's terms (a refusal is a signed sharing-refused), through the SubmissionRouter. A second
 * message for the same request, action or overdue item is answered DUPLICATE_NOTIFICATION.
 */
@Injectable()
export class RouteToMaracMember {
  constructor(
    private readonly members: MaracMemberMailboxes,
    private readonly router: SubmissionRouter,
    private readonly refusals: RefusalService,
  ) {}

  async route<V extends object>(message: MemberMessage<V>): Promise<void> {
    const { submission } = message;
    const { claims, body } = submission.verified;
    const target = await this.members.resolve(
      claims.iss,
      message.mailboxId,
      message.agencyId,
      message.mailboxKind,
    );
    if (isRefusal(target)) {
      return this.refusals.refuse(
        ...refusedSubmission(submission, target.code, target.reason, message.mailboxId),
      );
    }
    const routed = await this.router.route({
      submission,
      statement: maracStatement(body),
      detail: message.detail,
      recipients: [
        {
          mailbox: target.mailbox,
          dedupeKey: message.dedupeKey,
          view: (fields) => message.view(fields, target),
        },
      ],
      alsoWrite: async (manager, outcome) => {
        for (const share of outcome.delivered) await message.record?.(manager, target, share);
      },
    });
    const [duplicate] = routed.alreadyDelivered;
    if (duplicate && routed.delivered.length === 0) {
      await this.refusals.refuse(
        ...refusedSubmission(
          submission,
          ExchangeErrorCode.DUPLICATE_NOTIFICATION,
          `already delivered to this mailbox as message ${duplicate.submissionId}`,
          message.mailboxId,
        ),
      );
    }
  }
}
