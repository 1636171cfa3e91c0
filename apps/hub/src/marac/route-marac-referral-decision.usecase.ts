import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  MARAC_REFERRAL_DECISION,
  MARAC_REFERRAL_DECISION_VIEW,
  MaracReferralDecision,
  MaracReferralDecisionView,
} from '@app/contracts';
import { updateReturning } from '@app/persistence';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { SubmissionRouter } from '../routing/submission-router.service';
import { MARAC_RISK, RecordedTerms } from './marac-statement';
import { maracReferralDecisionView } from './marac-views';

interface MaracReferralRow extends RecordedTerms {
  referral_id: string;
  submission_id: string;
  subject_ref: string;
  referrer_mailbox: string;
  decision_message_id: string | null;
}

/**
 * The MARAC's decision on a referral (listed for a meeting, or refused and why), for the
 * referrer. Taken only from the MARAC node the hub delivered the referral to (UNKNOWN_MESSAGE
 * otherwise) and once per referral (ALREADY_CLOSED); it goes to the referrer mailbox recorded with
 * the referral — nothing in the decision chooses the recipient — under the policy
 * (marac-referral-decision-to-referrer) asked with the referral's consent, justification and
 * whether the victim was told, and the MARAC's own basis from the decision. The decision is
 * recorded in the routing transaction.
 */
@Injectable()
@RoutesSubmission(MARAC_REFERRAL_DECISION)
export class RouteMaracReferralDecisionUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async execute(submission: VerifiedSubmission<MaracReferralDecision>): Promise<void> {
    const { claims, body: decision } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));

    const [referral] = (await this.dataSource.query(
      `SELECT referral_id, submission_id, subject_ref, referrer_mailbox, consent_position,
              lawful_basis, safeguarding_justification, family_informed, decision_message_id
         FROM marac_referral WHERE referral_id = $1 AND marac_node = $2`,
      [decision.referralId, claims.iss],
    )) as MaracReferralRow[];
    if (!referral) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the decision names no MARAC referral delivered to this node',
      );
    }
    if (referral.decision_message_id) {
      return refuse(ExchangeErrorCode.ALREADY_CLOSED, 'this MARAC referral already has a decision');
    }
    const referrerMailbox = await this.registry.findMailbox(referral.referrer_mailbox);
    if (!referrerMailbox) {
      return refuse(ExchangeErrorCode.RECIPIENT_UNKNOWN, "the referrer's mailbox has gone");
    }
    await this.router.route({
      submission,
      statement: {
        consent: { position: referral.consent_position },
        // The MARAC tells the referrer as a controller in its own right (a police referral's
        // Sch. 8 basis is for police only).
        lawfulBasis: decision.lawfulBasis,
        ...(referral.safeguarding_justification
          ? { safeguardingJustification: referral.safeguarding_justification }
          : {}),
        familyInformed: referral.family_informed,
        riskLevel: MARAC_RISK,
      },
      subjectRef: referral.subject_ref,
      correlationId: referral.submission_id,
      detail: `decision ${decision.decision}${decision.reasonCode ? ` ${decision.reasonCode}` : ''}`,
      recipients: [
        {
          mailbox: referrerMailbox,
          dedupeKey: `marac-referral-decision:${referral.referral_id}`,
          auditAction: 'marac-referral-decision',
          view: (fields) => ({
            definition: MARAC_REFERRAL_DECISION_VIEW,
            body: maracReferralDecisionView(
              { ...decision, referralId: referral.referral_id },
              fields,
              referrerMailbox,
            ) satisfies MaracReferralDecisionView,
          }),
        },
      ],
      alsoWrite: async (manager, routed) => {
        if (routed.delivered.length === 0) return;
        const recorded = await updateReturning(
          manager,
          `UPDATE marac_referral SET decision_message_id = $2, decision = $3, decided_at = $4
            WHERE referral_id = $1 AND decision_message_id IS NULL RETURNING referral_id`,
          [referral.referral_id, claims.jti, decision.decision, new Date(decision.decidedAt)],
        );
        // Another decision won a race since the check: this one is refused when retried.
        if (recorded.length === 0) throw new Error('the MARAC referral was decided meanwhile');
      },
    });
  }
}
