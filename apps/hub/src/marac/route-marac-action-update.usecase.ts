import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  MARAC_ACTION_UPDATE_VIEW,
  MaracActionUpdate,
  MaracActionUpdateView,
} from '@app/contracts';
import { minimise } from '@app/policy';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { SubmissionRoute } from '../routing/submission-route';
import { SubmissionRouter } from '../routing/submission-router.service';
import { deliveredToSender } from './marac-delivery-record';
import { recordedStatement } from './marac-statement';
import { updateReturning } from '@app/persistence';

/**
 * A member's acknowledgement of, or progress on, a MARAC action. Taken only from the node and
 * mailbox the action was delivered to (UNKNOWN_MESSAGE otherwise), not after the action was
 * reported completed (ALREADY_CLOSED); it goes to the MARAC coordinator's mailbox recorded with
 * the action, the view naming the owner's agency from the registry.
 */
@Injectable()
export class RouteMaracActionUpdateUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async execute(submission: VerifiedSubmission<MaracActionUpdate>): Promise<void> {
    const { claims, body: update } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));
    const action = await deliveredToSender(
      this.dataSource.manager,
      'action',
      update.actionId,
      update.caseId,
      claims.iss,
      update.mailboxId,
    );
    if (!action) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the update names no MARAC action delivered to this node and mailbox',
      );
    }
    if (action.completed_message_id) {
      return refuse(ExchangeErrorCode.ALREADY_CLOSED, 'this MARAC action is already completed');
    }
    const coordinator = await this.registry.findMailbox(action.reply_mailbox);
    if (!coordinator) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        "the MARAC coordinator's mailbox has gone",
      );
    }
    await this.router.route({
      submission,
      statement: recordedStatement(action),
      correlationId: action.submission_id,
      detail: `case ${action.case_id}; action ${action.ref_id}; status ${update.status}`,
      recipients: [
        {
          mailbox: coordinator,
          // Every update is its own delivery: an action takes several.
          dedupeKey: `marac-action-update:${claims.jti}`,
          auditAction: update.status === 'acknowledged' ? 'acknowledged' : 'marac-response',
          view: (fields) => ({
            definition: MARAC_ACTION_UPDATE_VIEW,
            body: {
              ...(minimise(update as unknown as Record<string, unknown>, fields) as object),
              actionId: action.ref_id,
              caseId: action.case_id,
              mailboxId: action.recipient_mailbox,
              agencyId: action.recipient_agency,
              recipientMailboxId: coordinator.id,
            } as MaracActionUpdateView,
          }),
        },
      ],
      alsoWrite: async (manager, routed) => {
        if (routed.delivered.length === 0 || update.status !== 'completed') return;
        const closed = await updateReturning(
          manager,
          `UPDATE marac_delivery SET completed_message_id = $3
            WHERE ref_kind = 'action' AND ref_id = $1 AND recipient_node = $2
              AND completed_message_id IS NULL
            RETURNING ref_id`,
          [action.ref_id, claims.iss, claims.jti],
        );
        if (closed.length === 0) throw new Error('the MARAC action was completed meanwhile');
      },
    });
  }
}
