import { Injectable } from '@nestjs/common';
import { REFERRAL_OUTCOME_VIEW } from '@app/contracts';
import { updateReturning } from '@app/persistence';
import { PurgeBatch, PurgedItem, RetentionStore } from '@app/retention';
import { EntityManager } from 'typeorm';

type ReferralRow = { referral_id: string; subject_ref: string; mailbox_id: string };

/**
 * The MASH's next steps at the referrer's node (rule referral-outcome-received): the only free
 * text about the child a referral row holds. The outcome code and every time stay, so the
 * referral list still shows what was decided and when.
 */
@Injectable()
export class ReferralOutcomeRetentionStore implements RetentionStore {
  readonly ruleId = 'referral-outcome-received' as const;

  async purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]> {
    const rows = await updateReturning<ReferralRow>(
      manager,
      `WITH due AS (
         SELECT r.referral_id FROM referral r
          WHERE r.purged_at IS NULL AND r.outcome IS NOT NULL AND r.outcome_received_at < $1
          ORDER BY r.outcome_received_at LIMIT $2 FOR UPDATE OF r SKIP LOCKED)
       UPDATE referral r SET next_steps = NULL, purged_at = $3, purge_rule = $4
         FROM due WHERE r.referral_id = due.referral_id
       RETURNING r.referral_id, r.subject_ref, r.mailbox_id`,
      [batch.cutoff, batch.limit, batch.purgedAt, this.ruleId],
    );
    return rows.map((row) => ({
      messageId: row.referral_id,
      messageType: REFERRAL_OUTCOME_VIEW.type,
      subjectRef: row.subject_ref,
      recipientMailbox: row.mailbox_id,
    }));
  }
}
