import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  MARAC_INFORMATION_RESPONSE_VIEW,
  MaracInformationResponse,
  MaracInformationResponseView,
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
 * A member's research for a MARAC case. Taken only from the node and mailbox the request was
 * delivered to (UNKNOWN_MESSAGE otherwise) and once (ALREADY_CLOSED for a second answer); it goes
 * to the MARAC coordinator's mailbox recorded with the request, whatever the answer says, under
 * the policy asked with the request's terms; the view names the answering agency from the
 * registry, never from the answer.
 */
@Injectable()
export class RouteMaracInformationResponseUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async execute(submission: VerifiedSubmission<MaracInformationResponse>): Promise<void> {
    const { claims, body: response } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));
    const request = await deliveredToSender(
      this.dataSource.manager,
      'information-request',
      response.requestId,
      response.caseId,
      claims.iss,
      response.respondingMailboxId,
    );
    if (!request) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the answer names no MARAC request delivered to this node and mailbox',
      );
    }
    if (request.answered_message_id) {
      return refuse(ExchangeErrorCode.ALREADY_CLOSED, 'this MARAC request is already answered');
    }
    const coordinator = await this.registry.findMailbox(request.reply_mailbox);
    if (!coordinator) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        "the MARAC coordinator's mailbox has gone",
      );
    }
    await this.router.route({
      submission,
      statement: recordedStatement(request),
      correlationId: request.submission_id,
      detail: `case ${request.case_id}; request ${request.ref_id}`,
      recipients: [
        {
          mailbox: coordinator,
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
        },
      ],
      alsoWrite: async (manager, routed) => {
        if (routed.delivered.length === 0) return;
        const answered = await updateReturning(
          manager,
          `UPDATE marac_delivery SET answered_message_id = $3
            WHERE ref_kind = 'information-request' AND ref_id = $1 AND recipient_node = $2
              AND answered_message_id IS NULL
            RETURNING ref_id`,
          [request.ref_id, claims.iss, claims.jti],
        );
        // Another answer won a race since the check: this one is refused when retried.
        if (answered.length === 0) throw new Error('the MARAC request was answered meanwhile');
      },
    });
  }
}
