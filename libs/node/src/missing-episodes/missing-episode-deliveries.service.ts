import { Injectable } from '@nestjs/common';
import {
  ESCALATION,
  Escalation,
  MISSING_EPISODE_VIEW,
  MissingEpisodeView,
  REJECTION,
  Rejection,
  RETURN_HOME_INTERVIEW_DEADLINE,
  RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
  ReturnHomeInterviewOutcomeView,
  SHARING_REFUSED,
  SharingRefused,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { EntityManager } from 'typeorm';

import { markRecipient, RecipientTable } from '../recipients/mark-recipient';
import { recipientNoticeOf } from '../recipients/recipient-notice';

/** The reporter's rows per report and recipient; only a report this node sent has one. */
const MISSING_EPISODE_RECIPIENTS: RecipientTable = {
  table: 'missing_episode_recipient',
  mailboxColumn: 'recipient',
  messages: 'missing_episode_report',
  copied: ['episode_id'],
};

/**
 * The missing episode journey's part of a delivery, in the inbox's transaction, on every node.
 * As recipient: a report delivered to a mailbox (the MASH) is remembered, the latest per mailbox
 * and episode, so social care can send the return home interview's outcome for it. As reporter:
 * what the hub sends back about this node's reports — receipts, rejections, sharing refusals and
 * escalations per recipient mailbox, the interview's outcome — sets their status. Times only move
 * from null to a value and a report only replaces a lower-numbered one, so a message handled
 * twice changes nothing; one about another kind of message matches no row.
 */
@Injectable()
export class MissingEpisodeDeliveries {
  async onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type, sub, jti } = envelope.claims;
    if (type === MISSING_EPISODE_VIEW.type) {
      const view = envelope.body as MissingEpisodeView;
      await manager.query(
        `INSERT INTO received_missing_episode
           (mailbox_id, episode_id, message_id, report_number, subject_ref, status)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (mailbox_id, episode_id) DO UPDATE SET message_id = EXCLUDED.message_id,
           report_number = EXCLUDED.report_number, status = EXCLUDED.status
         WHERE received_missing_episode.report_number < EXCLUDED.report_number`,
        [view.recipientMailboxId, view.episodeId, jti, view.reportNumber, sub, view.status ?? null],
      );
    } else if (type === RETURN_HOME_INTERVIEW_OUTCOME_VIEW.type) {
      const view = envelope.body as ReturnHomeInterviewOutcomeView;
      await manager.query(
        `UPDATE missing_episode SET rhi_message_id = $2, rhi_outcome = $3, rhi_received_at = now(),
           rhi_mailbox_id = $4
          WHERE episode_id = $1 AND rhi_message_id IS NULL`,
        [view.episodeId, jti, view.outcome ?? null, view.fromMailboxId],
      );
    } else if (
      type === ESCALATION.type &&
      (envelope.body as Escalation).deadlineKind === RETURN_HOME_INTERVIEW_DEADLINE
    ) {
      const escalation = envelope.body as Escalation;
      // The reporter's copy names its report (and is filed in the reporter's mailbox); an
      // escalation mailbox's copy names the hub's delivery, which is no report of this node and
      // so matches no row.
      await manager.query(
        `UPDATE missing_episode SET rhi_overdue_at = COALESCE(rhi_overdue_at, $2),
           rhi_mailbox_id = COALESCE(rhi_mailbox_id, $3)
         WHERE episode_id = (SELECT episode_id FROM missing_episode_report WHERE message_id = $1)`,
        [escalation.messageId, new Date(escalation.escalatedAt), escalation.overdueMailboxId],
      );
    } else {
      await this.reporterNotice(manager, envelope);
    }
  }

  /** A receipt, rejection, sharing refusal or escalation about a report this node sent. */
  private async reporterNotice(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const notice = recipientNoticeOf(envelope);
    if (notice?.mailboxId !== undefined) {
      await markRecipient(
        manager,
        MISSING_EPISODE_RECIPIENTS,
        notice.messageId,
        notice.mailboxId,
        notice.facts,
      );
    } else if (notice) {
      await manager.query(
        `UPDATE missing_episode_report SET rejected_at = COALESCE(rejected_at, now()),
           rejection_code = COALESCE(rejection_code, $2),
           rejection_reason = COALESCE(rejection_reason, $3) WHERE message_id = $1`,
        [notice.messageId, notice.rejection.code, notice.rejection.reason],
      );
    }
    // The same messages may refuse a return home interview outcome this node sent.
    if (envelope.claims.type === REJECTION.type) {
      const { messageId, code, reason } = envelope.body as Rejection;
      await this.interviewRefused(manager, messageId, { code, reason });
    } else if (envelope.claims.type === SHARING_REFUSED.type) {
      const refused = envelope.body as SharingRefused;
      await this.interviewRefused(manager, refused.messageId, {
        code: 'SHARING_REFUSED',
        reason: `${refused.ruleId} (${refused.policyVersion}): ${refused.reason}`,
      });
    }
  }

  /** The hub refused a return home interview outcome this node sent. */
  private async interviewRefused(
    manager: EntityManager,
    messageId: string,
    rejection: { code: string; reason: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE received_missing_episode SET rhi_rejected_at = COALESCE(rhi_rejected_at, now()),
         rhi_rejection_code = COALESCE(rhi_rejection_code, $2),
         rhi_rejection_reason = COALESCE(rhi_rejection_reason, $3) WHERE rhi_message_id = $1`,
      [messageId, rejection.code, rejection.reason],
    );
  }
}
