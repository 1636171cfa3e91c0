import { Injectable } from '@nestjs/common';
import {
  MARAC_ACTION_VIEW,
  MARAC_INFORMATION_REQUEST_VIEW,
  MARAC_REFERRAL_DECISION_VIEW,
  MaracActionView,
  MaracInformationRequestView,
  MaracReferralDecisionView,
  RECEIPT,
  Receipt,
  REJECTION,
  Rejection,
  SHARING_REFUSED,
  SharingRefused,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { EntityManager } from 'typeorm';

/**
 * The MARAC's part of a delivery, in the inbox's transaction, on every node: an information
 * request or an action delivered to a mailbox is remembered so that mailbox (and only it) can
 * answer it or report on it; what the hub sends back about this node's own MARAC messages
 * (referrals, answers, updates) sets their status, and the MARAC's decision on a referral (filed
 * in the referrer mailbox's inbox) sets the referral's. Inserts ignore a second copy, times only
 * move from null to a value and a decision is recorded once, so a message handled twice changes
 * nothing; a message about another kind of message matches no row.
 */
@Injectable()
export class MaracDeliveries {
  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type, sub, jti } = envelope.claims;
    if (type === MARAC_INFORMATION_REQUEST_VIEW.type) {
      const view = envelope.body as MaracInformationRequestView;
      await manager.query(
        `INSERT INTO received_marac_request (mailbox_id, request_id, case_id, message_id,
           subject_ref, due_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [view.recipientMailboxId, view.requestId, view.caseId, jti, sub, new Date(view.dueAt)],
      );
    } else if (type === MARAC_ACTION_VIEW.type) {
      const view = envelope.body as MaracActionView;
      await manager.query(
        `INSERT INTO received_marac_action (mailbox_id, action_id, case_id, message_id,
           subject_ref, due_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [view.recipientMailboxId, view.actionId, view.caseId, jti, sub, new Date(view.dueAt)],
      );
    } else if (type === MARAC_REFERRAL_DECISION_VIEW.type) {
      const view = envelope.body as MaracReferralDecisionView;
      // Only on the referral of the mailbox the decision was addressed to.
      await manager.query(
        `UPDATE marac_sent SET decision = $3, decision_message_id = $4, decided_at = $5,
           decision_case_id = $6, decision_meeting_date = $7, decision_meeting_at = $8,
           decision_code = $9,
           decision_reason = $10
         WHERE message_id = $1 AND kind = 'marac-referral' AND mailbox_id = $2
           AND decision IS NULL`,
        [
          view.referralId,
          view.recipientMailboxId,
          view.decision,
          jti,
          view.decidedAt ? new Date(view.decidedAt) : new Date(),
          view.caseId ?? null,
          view.meetingDate ?? null,
          view.meetingAt ? new Date(view.meetingAt) : null,
          view.reasonCode ?? null,
          view.reason?.slice(0, 1000) ?? null,
        ],
      );
    } else if (type === RECEIPT.type) {
      const receipt = envelope.body as Receipt;
      await manager.query(
        `UPDATE marac_sent SET delivered_at = COALESCE(delivered_at, $2) WHERE message_id = $1`,
        [receipt.messageId, new Date(receipt.at)],
      );
    } else if (type === REJECTION.type) {
      const rejection = envelope.body as Rejection;
      await this.refused(manager, rejection.messageId, rejection.code, rejection.reason);
    } else if (type === SHARING_REFUSED.type) {
      const refused = envelope.body as SharingRefused;
      await this.refused(
        manager,
        refused.messageId,
        'SHARING_REFUSED',
        `${refused.ruleId} (${refused.policyVersion}): ${refused.reason}`,
      );
    }
  }

  private async refused(
    manager: EntityManager,
    messageId: string,
    code: string,
    reason: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE marac_sent SET refused_at = COALESCE(refused_at, now()),
         refusal_code = COALESCE(refusal_code, $2), refusal_reason = COALESCE(refusal_reason, $3)
       WHERE message_id = $1`,
      [messageId, code, reason.slice(0, 1000)],
    );
  }
}
