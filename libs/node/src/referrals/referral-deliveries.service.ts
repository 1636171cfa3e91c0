import { Injectable } from '@nestjs/common';
import {
  ESCALATION,
  Escalation,
  RECEIPT,
  Receipt,
  REFERRAL_OUTCOME_VIEW,
  REFERRAL_VIEW,
  ReferralOutcomeView,
  ReferralView,
  REJECTION,
  Rejection,
  SHARING_REFUSED,
  SharingRefused,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { EntityManager } from 'typeorm';

import { AtRestSealer } from '../keys/at-rest-sealer.service';

/**
 * The referral loop's part of a delivery, in the inbox's transaction, on every node: a referral
 * delivered to a mailbox (a MASH) is remembered so that mailbox can answer it; what the hub sends
 * back about this node's own referrals (receipts, rejections, refusals, escalations, the outcome)
 * sets their status. Updates name the referral id the hub countersigned, and the outcome only
 * lands on the referral of the mailbox it was addressed to. Times only move from null to a
 * value, so a message handled twice changes nothing; a message about another kind of message
 * matches no referral row and changes nothing.
 */
@Injectable()
export class ReferralDeliveries {
  constructor(private readonly sealer: AtRestSealer) {}

  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type, sub, jti } = envelope.claims;
    if (type === REFERRAL_VIEW.type) {
      const view = envelope.body as ReferralView;
      await manager.query(
        `INSERT INTO received_referral (mailbox_id, referral_id, message_id, subject_ref)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [view.recipientMailboxId, view.referralId, jti, sub],
      );
    } else if (type === REFERRAL_OUTCOME_VIEW.type) {
      const view = envelope.body as ReferralOutcomeView;
      await manager.query(
        `UPDATE referral SET outcome = $3, next_steps = $4, decided_at = $5,
           outcome_received_at = now()
         WHERE referral_id = $1 AND mailbox_id = $2 AND outcome IS NULL`,
        [
          view.referralId,
          view.recipientMailboxId,
          view.outcome,
          // Free text about the child: sealed at rest like the inbox (AtRestSealer).
          await this.sealer.seal(view.nextSteps),
          view.decidedAt,
        ],
      );
    } else if (type === RECEIPT.type) {
      const receipt = envelope.body as Receipt;
      await manager.query(
        receipt.status === 'delivered'
          ? `UPDATE referral SET delivered_at = COALESCE(delivered_at, $2) WHERE referral_id = $1`
          : `UPDATE referral SET acknowledged_at = COALESCE(acknowledged_at, $2),
               delivered_at = COALESCE(delivered_at, $2) WHERE referral_id = $1`,
        [receipt.messageId, new Date(receipt.at)],
      );
    } else if (type === REJECTION.type) {
      const rejection = envelope.body as Rejection;
      await manager.query(
        `UPDATE referral SET rejected_at = COALESCE(rejected_at, now()),
           rejection_code = COALESCE(rejection_code, $2),
           rejection_reason = COALESCE(rejection_reason, $3) WHERE referral_id = $1`,
        [rejection.messageId, rejection.code, rejection.reason],
      );
    } else if (type === SHARING_REFUSED.type) {
      const refused = envelope.body as SharingRefused;
      await manager.query(
        `UPDATE referral SET rejected_at = COALESCE(rejected_at, now()),
           rejection_code = COALESCE(rejection_code, 'SHARING_REFUSED'),
           rejection_reason = COALESCE(rejection_reason, $2) WHERE referral_id = $1`,
        [refused.messageId, `${refused.ruleId} (${refused.policyVersion}): ${refused.reason}`],
      );
    } else if (type === ESCALATION.type) {
      const escalation = envelope.body as Escalation;
      // The referrer's copy names the referral and is filed in the referrer's mailbox; an
      // escalation mailbox's copy names the hub's delivery, which is no referral id.
      await manager.query(
        `UPDATE referral SET overdue_at = COALESCE(overdue_at, $2)
          WHERE referral_id = $1 AND ($3::varchar IS NULL OR mailbox_id = $3)`,
        [
          escalation.messageId,
          new Date(escalation.escalatedAt),
          escalation.recipientMailboxId ?? null,
        ],
      );
    }
  }
}
