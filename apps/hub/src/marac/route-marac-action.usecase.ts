import { Injectable } from '@nestjs/common';
import { MARAC_ACTION, MARAC_ACTION_VIEW, MaracAction, MaracActionView } from '@app/contracts';

import { VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { recordMaracDelivery } from './record-marac-delivery';
import { maracActionView } from './marac-views';
import { RouteToMaracMember } from './route-to-marac-member.service';

/**
 * A MARAC's action to the member mailbox that owns it, with the fields the policy allows; the
 * delivery is recorded so only that mailbox's node can acknowledge or update it.
 */
@Injectable()
@RoutesSubmission(MARAC_ACTION)
export class RouteMaracActionUseCase implements SubmissionRoute {
  constructor(private readonly members: RouteToMaracMember) {}

  execute(submission: VerifiedSubmission<MaracAction>): Promise<void> {
    const { claims, body: action } = submission.verified;
    return this.members.route<MaracActionView>({
      submission,
      mailboxId: action.recipientMailboxId,
      agencyId: action.recipientAgencyId,
      dedupeKey: `marac-action:${action.actionId}`,
      detail: `case ${action.caseId}; action ${action.actionId}`,
      view: (fields, { mailbox }) => ({
        definition: MARAC_ACTION_VIEW,
        body: maracActionView(action, fields, mailbox),
      }),
      record: (manager, target, share) =>
        recordMaracDelivery(
          manager,
          'action',
          action.actionId,
          action.caseId,
          claims.jti,
          target,
          share,
          action,
        ),
    });
  }
}
