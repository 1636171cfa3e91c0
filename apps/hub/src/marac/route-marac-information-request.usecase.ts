import { Injectable } from '@nestjs/common';
import {
  MARAC_INFORMATION_REQUEST,
  MARAC_INFORMATION_REQUEST_VIEW,
  MaracInformationRequest,
  MaracInformationRequestView,
} from '@app/contracts';

import { VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { recordMaracDelivery } from './record-marac-delivery';
import { maracRequestView } from './marac-views';
import { RouteToMaracMember } from './route-to-marac-member.service';

/**
 * A MARAC's information request to one member mailbox. The view holds what the policy's rule
 * for that kind of member allows, and for a school's designated safeguarding lead only the
 * children on that school's roll (the mailbox's URN in the registry): the hub enforces it
 * whatever the MARAC sent. The delivery is recorded so only that mailbox's node can answer.
 */
@Injectable()
@RoutesSubmission(MARAC_INFORMATION_REQUEST)
export class RouteMaracInformationRequestUseCase implements SubmissionRoute {
  constructor(private readonly members: RouteToMaracMember) {}

  execute(submission: VerifiedSubmission<MaracInformationRequest>): Promise<void> {
    const { claims, body: request } = submission.verified;
    return this.members.route<MaracInformationRequestView>({
      submission,
      mailboxId: request.recipientMailboxId,
      agencyId: request.recipientAgencyId,
      dedupeKey: `marac-information-request:${request.requestId}`,
      detail: `case ${request.caseId}; request ${request.requestId}`,
      view: (fields, { mailbox }) => ({
        definition: MARAC_INFORMATION_REQUEST_VIEW,
        body: maracRequestView(request, fields, mailbox),
      }),
      record: (manager, target, share) =>
        recordMaracDelivery(
          manager,
          'information-request',
          request.requestId,
          request.caseId,
          claims.jti,
          target,
          share,
          request,
        ),
    });
  }
}
