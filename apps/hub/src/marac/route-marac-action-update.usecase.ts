import { Injectable } from '@nestjs/common';
import {
  MARAC_ACTION_UPDATE,
  MARAC_ACTION_UPDATE_VIEW,
  MaracActionUpdate,
  MaracActionUpdateView,
} from '@app/contracts';
import { minimise } from '@app/policy';

import { VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { MaracReplyRouter } from './marac-reply-router.service';

/**
 * A member's acknowledgement of, or progress on, a MARAC action. Taken only from the node and
 * mailbox the action was delivered to (UNKNOWN_MESSAGE otherwise), not after the action was
 * reported completed (ALREADY_CLOSED); it goes to the MARAC coordinator's mailbox recorded with
 * the action, the view naming the owner's agency from the registry.
 */
@Injectable()
@RoutesSubmission(MARAC_ACTION_UPDATE)
export class RouteMaracActionUpdateUseCase implements SubmissionRoute {
  constructor(private readonly replies: MaracReplyRouter) {}

  execute(submission: VerifiedSubmission<MaracActionUpdate>): Promise<void> {
    const { claims, body: update } = submission.verified;
    return this.replies.route(submission, {
      kind: 'action',
      refId: update.actionId,
      caseId: update.caseId,
      mailboxId: update.mailboxId,
      closes: { column: 'completed_message_id', now: update.status === 'completed' },
      notDelivered: 'the update names no MARAC action delivered to this node and mailbox',
      alreadyClosed: 'this MARAC action is already completed',
      detail: (action) =>
        `case ${action.case_id}; action ${action.ref_id}; status ${update.status}`,
      recipient: (action, coordinator) => ({
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
      }),
    });
  }
}
