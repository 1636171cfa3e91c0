import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  MARAC_REFERRAL,
  MARAC_REFERRAL_VIEW,
  MaracReferral,
  MaracReferralView,
} from '@app/contracts';
import { minimise } from '@app/policy';
import { RegistryService } from '@app/registry';

import { RefusalService } from '../exchange/refusal.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { SubmissionRouter } from '../routing/submission-router.service';
import { maracStatement } from './marac-statement';

/**
 * A MARAC referral from any agency's node: it must carry its message id as its referral id, name
 * the signing node's own agency as the referrer (AGENCY_MISMATCH otherwise: a node cannot refer
 * in another agency's name) and a mailbox of the signing node as the referrer mailbox
 * (RECIPIENT_UNKNOWN otherwise: the MARAC's decision goes there). It goes to the MARAC
 * coordinator's mailbox of the referrer's area (the registry's agency area) under the sharing
 * policy (marac-referral-to-marac), as the `marac-referral-view`, and the hub records where it
 * went and where the decision goes (`marac_referral`) in the routing transaction. Listing it for
 * a meeting is the MARAC's work, so no deadline here.
 */
@Injectable()
@RoutesSubmission(MARAC_REFERRAL)
export class RouteMaracReferralUseCase implements SubmissionRoute {
  constructor(
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async execute(submission: VerifiedSubmission<MaracReferral>): Promise<void> {
    const { claims, body: referral } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string, recipient?: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason, recipient));

    if (referral.referralId !== claims.jti) {
      return refuse(ExchangeErrorCode.SCHEMA_INVALID, 'referralId must be the message id');
    }
    const senderNode = await this.registry.findNode(claims.iss);
    if (!senderNode?.agency || senderNode.agencyId !== referral.referringAgencyId) {
      return refuse(
        ExchangeErrorCode.AGENCY_MISMATCH,
        'referringAgencyId is not the agency of the node that signed the referral',
      );
    }
    const referrerMailbox = await this.registry.findMailbox(referral.referrerMailboxId);
    if (referrerMailbox?.nodeId !== claims.iss) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        'referrerMailboxId is not a mailbox of the sending node',
      );
    }
    const coordinator = await this.registry.findMaracCoordinator(senderNode.agency.area);
    if (!coordinator) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        "the referrer's area has no MARAC coordinator mailbox",
        'marac-coordinator',
      );
    }
    await this.router.route({
      submission,
      statement: maracStatement(referral),
      detail: `criterion ${referral.criterion}`,
      senderMailboxId: referrerMailbox.id,
      recipients: [
        {
          mailbox: coordinator,
          dedupeKey: `marac-referral:${referral.referralId}`,
          view: (fields) => ({
            definition: MARAC_REFERRAL_VIEW,
            body: {
              ...(minimise(referral as unknown as Record<string, unknown>, fields) as object),
              referralId: referral.referralId,
              recipientMailboxId: coordinator.id,
            } as MaracReferralView,
          }),
        },
      ],
      // Where the MARAC's decision may come from and where it goes.
      alsoWrite: async (manager, outcome) => {
        const [delivered] = outcome.delivered;
        if (!delivered) return;
        await manager.query(
          `INSERT INTO marac_referral (referral_id, submission_id, delivery_id, subject_ref,
             referrer_node, referrer_mailbox, marac_node, coordinator_mailbox, consent_position,
             lawful_basis, safeguarding_justification, family_informed)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            referral.referralId,
            claims.jti,
            delivered.deliveryId,
            claims.sub,
            claims.iss,
            referrerMailbox.id,
            coordinator.nodeId,
            coordinator.id,
            referral.consent.position,
            referral.lawfulBasis,
            referral.safeguardingJustification ?? null,
            referral.familyInformed,
          ],
        );
      },
    });
  }
}
