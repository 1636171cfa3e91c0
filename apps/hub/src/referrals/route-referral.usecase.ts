import { Injectable } from '@nestjs/common';
import { ExchangeErrorCode, REFERRAL, Referral, REFERRAL_VIEW, ReferralView } from '@app/contracts';
import { Clock } from '@app/platform';
import { minimise } from '@app/policy';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { SubmissionRouter } from '../routing/submission-router.service';
import { ReferralCalendar } from './referral-calendar.service';
import { refusedSubmission, VerifiedSubmission } from './verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';

/**
 * A verified referral: it must name a mailbox of the node that signed it as the referrer (the
 * outcome goes back there) and carry its message id as its referral id. Routed to the area's
 * `mash` mailbox under the sharing policy (rule referral-to-mash), countersigned and encrypted to
 * the MASH's node, with the delivery, its acknowledgement and outcome deadlines (working days),
 * the hub's `referral` record and the audit events (with the completeness score) in one
 * transaction. A refusal goes back to the referrer as a signed rejection or sharing-refused.
 */
@Injectable()
@RoutesSubmission(REFERRAL)
export class RouteReferralUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
    private readonly calendar: ReferralCalendar,
    private readonly clock: Clock,
  ) {}

  async execute(submission: VerifiedSubmission<Referral>): Promise<void> {
    const { claims, body: referral } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string, recipient?: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason, recipient));

    if (referral.referralId !== claims.jti) {
      return refuse(ExchangeErrorCode.SCHEMA_INVALID, 'referralId must be the message id');
    }
    const referrerMailbox = await this.dataSource
      .getRepository(MailboxEntity)
      .findOne({ where: { id: referral.referrerMailboxId, nodeId: claims.iss } });
    if (!referrerMailbox) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        'referrerMailboxId is not a mailbox of the sending node',
      );
    }
    const mash = await this.registry.findMailboxByKind('mash');
    if (!mash) {
      return refuse(ExchangeErrorCode.RECIPIENT_UNKNOWN, 'the area has no MASH mailbox', 'mash');
    }
    if (mash.node?.status !== 'active') {
      return refuse(
        ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
        "the MASH's node is not active",
        mash.id,
      );
    }

    const now = this.clock.now();
    const acknowledgeBy = this.calendar.acknowledgeBy(now);
    const outcomeBy = this.calendar.outcomeBy(now);
    await this.router.route({
      submission,
      statement: referral,
      detail: `completeness ${referral.completeness}`,
      completeness: referral.completeness,
      // An escalation of the delivery goes to the referrer's mailbox too.
      senderMailboxId: referrerMailbox.id,
      recipients: [
        {
          mailbox: mash,
          dedupeKey: `referral:${referral.referralId}`,
          view: (fields) => ({
            definition: REFERRAL_VIEW,
            body: {
              ...(minimise(referral as unknown as Record<string, unknown>, fields) as object),
              recipientMailboxId: mash.id,
              acknowledgeBy: acknowledgeBy.toISOString(),
            } as ReferralView,
          }),
          deadlines: [
            { kind: 'acknowledgement', dueAt: acknowledgeBy },
            { kind: 'outcome', dueAt: outcomeBy },
          ],
        },
      ],
      // The hub's own record of the referral: where its outcome may come from and go to.
      alsoWrite: async (manager, outcome) => {
        const [delivered] = outcome.delivered;
        if (!delivered) return;
        await manager.query(
          `INSERT INTO referral (referral_id, submission_id, delivery_id, subject_ref, referrer_node,
             referrer_mailbox, mash_node, mash_mailbox, consent_position, lawful_basis,
             safeguarding_justification, risk_level, family_informed, completeness)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            referral.referralId,
            claims.jti,
            delivered.deliveryId,
            claims.sub,
            claims.iss,
            referrerMailbox.id,
            mash.nodeId,
            mash.id,
            referral.consent.position,
            referral.lawfulBasis,
            referral.safeguardingJustification ?? null,
            referral.riskLevel,
            referral.familyInformed,
            referral.completeness,
          ],
        );
      },
    });
  }
}
