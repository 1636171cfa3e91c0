import { Injectable } from '@nestjs/common';
import {
  MARAC_INFORMATION_RESPONSE,
  MARAC_INFORMATION_RESPONSE_VIEW,
  MaracInformationResponse,
  MaracInformationResponseView,
} from '@app/contracts';
import { minimise } from '@app/policy';

import { VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { MaracReplyRouter } from './marac-reply-router.service';

/**
 * A member's research for a MARAC case. Taken only from the node and mailbox the request was
 * delivered to (UNKNOWN_MESSAGE otherwise) and once (ALREADY_CLOSED for a second answer); it goes
 * to the MARAC coordinator's mailbox recorded with the request, whatever the answer says, under
 * the policy asked with the request's terms; the view names the answering agency from the
 * registry, never from the answer.
 */
@Injectable()
@RoutesSubmission(MARAC_INFORMATION_RESPONSE)
export class RouteMaracInformationResponseUseCase implements SubmissionRoute {
  constructor(private readonly replies: MaracReplyRouter) {}

  execute(submission: VerifiedSubmission<MaracInformationResponse>): Promise<void> {
    const { body: response } = submission.verified;
    return this.replies.route(submission, {
      kind: 'information-request',
      refId: response.requestId,
      caseId: response.caseId,
      mailboxId: response.respondingMailboxId,
      closes: { column: 'answered_message_id', now: true },
      notDelivered: 'the answer names no MARAC request delivered to this node and mailbox',
      alreadyClosed: 'this MARAC request is already answered',
      detail: (request) => `case ${request.case_id}; request ${request.ref_id}`,
      recipient: (request, coordinator) => ({
        dedupeKey: `marac-information-response:${request.ref_id}`,
        auditAction: 'marac-response',
        view: (fields) => ({
          definition: MARAC_INFORMATION_RESPONSE_VIEW,
          body: {
            ...(minimise(response as unknown as Record<string, unknown>, fields) as object),
            requestId: request.ref_id,
            caseId: request.case_id,
            respondingMailboxId: request.recipient_mailbox,
            respondingAgencyId: request.recipient_agency,
            recipientMailboxId: coordinator.id,
          } as MaracInformationResponseView,
        }),
      }),
    });
  }
}
