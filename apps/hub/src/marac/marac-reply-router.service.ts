import { Injectable } from '@nestjs/common';
import { ExchangeErrorCode } from '@app/contracts';
import { updateReturning } from '@app/persistence';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { RecipientPlan } from '../routing/route-plan';
import { SubmissionRouter } from '../routing/submission-router.service';
import { deliveredToSender, MaracDeliveryRow } from './marac-delivery-record';
import { recordedStatement } from './marac-statement';

/** What sets one kind of member reply apart: an answer to a request, an update on an action. */
export interface MaracReply {
  kind: 'information-request' | 'action';
  refId: string;
  caseId: string;
  /** The member mailbox the reply says it comes from. */
  mailboxId: string;
  /** The column that closes the delivery, and whether this reply closes it. */
  closes: { column: 'answered_message_id' | 'completed_message_id'; now: boolean };
  /** The refusal reasons when nothing was delivered to the sender, or it is already closed. */
  notDelivered: string;
  alreadyClosed: string;
  detail(delivery: MaracDeliveryRow): string;
  /** The coordinator's view and how its delivery is keyed and audited. */
  recipient(delivery: MaracDeliveryRow, coordinator: MailboxEntity): Omit<RecipientPlan, 'mailbox'>;
}

/**
 * A member's reply to something the MARAC sent it. Taken only from the node and mailbox it was
 * delivered to (UNKNOWN_MESSAGE otherwise) and not once that delivery is closed (ALREADY_CLOSED);
 * it goes to the MARAC coordinator's mailbox recorded with the delivery, under the sharing terms
 * recorded then. A reply that closes the delivery marks it in the routing transaction, once.
 */
@Injectable()
export class MaracReplyRouter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async route(submission: VerifiedSubmission<object>, reply: MaracReply): Promise<void> {
    const { claims } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));
    const delivery = await deliveredToSender(
      this.dataSource.manager,
      reply.kind,
      reply.refId,
      reply.caseId,
      claims.iss,
      reply.mailboxId,
    );
    if (!delivery) return refuse(ExchangeErrorCode.UNKNOWN_MESSAGE, reply.notDelivered);
    if (delivery[reply.closes.column]) {
      return refuse(ExchangeErrorCode.ALREADY_CLOSED, reply.alreadyClosed);
    }
    const coordinator = await this.registry.findMailbox(delivery.reply_mailbox);
    if (!coordinator) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        "the MARAC coordinator's mailbox has gone",
      );
    }
    await this.router.route({
      submission,
      statement: recordedStatement(delivery),
      correlationId: delivery.submission_id,
      detail: reply.detail(delivery),
      recipients: [{ mailbox: coordinator, ...reply.recipient(delivery, coordinator) }],
      alsoWrite: async (manager, routed) => {
        if (routed.delivered.length === 0 || !reply.closes.now) return;
        const closed = await updateReturning(
          manager,
          `UPDATE marac_delivery SET ${reply.closes.column} = $4
            WHERE ref_kind = $1 AND ref_id = $2 AND recipient_node = $3
              AND ${reply.closes.column} IS NULL
            RETURNING ref_id`,
          [reply.kind, delivery.ref_id, claims.iss, claims.jti],
        );
        // Another reply closed it since the check: this one is refused when retried.
        if (closed.length === 0) throw new Error(`the MARAC ${reply.kind} was closed meanwhile`);
      },
    });
  }
}
