import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  REFERRAL_OUTCOME,
  REFERRAL_OUTCOME_VIEW,
  ReferralOutcome,
  ReferralOutcomeView,
} from '@app/contracts';
import { minimise } from '@app/policy';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { AlreadyProcessed } from '../exchange/processed-messages';
import { RefusalService } from '../exchange/refusal.service';
import { SubmissionRouter } from '../routing/submission-router.service';
import { referralOutcomeStatement, ReferralSharingCodes } from './referral-outcome-statement';
import { refusedSubmission, VerifiedSubmission } from './verified-submission';
import { updateReturning } from '@app/persistence';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';

interface ReferralRow extends ReferralSharingCodes {
  referral_id: string;
  submission_id: string;
  delivery_id: string;
  subject_ref: string;
  referrer_node: string;
  referrer_mailbox: string;
  mash_mailbox: string;
  outcome_message_id: string | null;
}

/**
 * Social care's outcome of a referral. The referral is looked up by its id in the hub's own
 * records, and only the node the hub delivered it to may answer it; the outcome goes to the
 * referrer's mailbox recorded then, whatever the outcome says, under the sharing policy (rule
 * referral-outcome-to-referrer, asked with social care's own basis and the referral's consent
 * and risk: referralOutcomeStatement). The
 * referral's acknowledgement and outcome deadlines are met; the delivery, the outbox record and
 * the audit events are written in one transaction. A second outcome is refused.
 */
@Injectable()
@RoutesSubmission(REFERRAL_OUTCOME)
export class RouteReferralOutcomeUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async execute(submission: VerifiedSubmission<ReferralOutcome>): Promise<void> {
    const { claims, body: outcome } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));

    const [referral] = (await this.dataSource.query(
      `SELECT * FROM referral WHERE referral_id = $1 AND mash_node = $2`,
      [outcome.referralId, claims.iss],
    )) as ReferralRow[];
    if (!referral) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the outcome names no referral delivered to this node',
      );
    }
    if (referral.outcome_message_id) {
      return refuse(ExchangeErrorCode.REPLAYED, 'this referral already has an outcome');
    }
    const referrerMailbox = await this.registry.findMailbox(referral.referrer_mailbox);
    if (!referrerMailbox) {
      return refuse(ExchangeErrorCode.RECIPIENT_UNKNOWN, "the referrer's mailbox has gone");
    }
    await this.router.route({
      submission,
      statement: referralOutcomeStatement(referral),
      subjectRef: referral.subject_ref,
      correlationId: referral.submission_id,
      detail: `outcome ${outcome.outcome}`,
      recipients: [
        {
          mailbox: referrerMailbox,
          dedupeKey: `referral-outcome:${referral.referral_id}`,
          auditAction: 'referral-outcome',
          view: (fields) => ({
            definition: REFERRAL_OUTCOME_VIEW,
            body: {
              ...(minimise(outcome as unknown as Record<string, unknown>, fields) as object),
              referralId: referral.referral_id,
              recipientMailboxId: referral.referrer_mailbox,
            } as ReferralOutcomeView,
          }),
        },
      ],
      alsoWrite: async (manager, routed) => {
        if (routed.delivered.length === 0) return;
        const updated = await updateReturning(
          manager,
          `UPDATE referral SET outcome_message_id = $2, outcome = $3, outcome_at = now()
            WHERE referral_id = $1 AND outcome_message_id IS NULL RETURNING referral_id`,
          [referral.referral_id, claims.jti, outcome.outcome],
        );
        if (updated.length === 0) throw new AlreadyProcessed();
        // The decision answers the referral: neither deadline can fall due after it.
        await manager.query(
          `UPDATE deadline SET state = 'met', closed_at = now()
            WHERE delivery_id = $1 AND state = 'open'`,
          [referral.delivery_id],
        );
      },
    });
  }
}
