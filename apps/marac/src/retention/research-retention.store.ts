import { Injectable } from '@nestjs/common';
import { MARAC_INFORMATION_RESPONSE } from '@app/contracts';
import { updateReturning } from '@app/persistence';
import { PurgeBatch, PurgedItem, RetentionStore } from '@app/retention';
import { EntityManager } from 'typeorm';

type ResearchRow = {
  id: string;
  message_id: string | null;
  victim_ref: string;
  mailbox_id: string;
};

/**
 * The research answers of closed cases (rule marac-research-case-closed). A case is closed once
 * its meeting has been held and every action is completed; it closed at the later of the
 * meeting and the last completion. Its answers go from `research_response` and, in the same
 * statement, from the MARAC's inbox copy of the delivery that carried them.
 */
@Injectable()
export class ResearchRetentionStore implements RetentionStore {
  readonly ruleId = 'marac-research-case-closed' as const;

  async purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]> {
    const rows = await updateReturning<ResearchRow>(
      manager,
      `WITH closed AS (
         SELECT c.id, c.victim_ref FROM marac_case c
          WHERE NOT EXISTS (
                  SELECT 1 FROM marac_action a WHERE a.case_id = c.id AND a.state <> 'completed')
            AND GREATEST(c.meeting_at,
                  (SELECT max(u.recorded_at) FROM action_update u
                     JOIN marac_action a ON a.id = u.action_id
                    WHERE a.case_id = c.id AND u.status = 'completed')) < $1),
       due AS (
         SELECT s.id, s.message_id, closed.victim_ref FROM research_response s
           JOIN closed ON closed.id = s.case_id
          WHERE s.purged_at IS NULL
          ORDER BY s.received_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED),
       inbox AS (
         UPDATE inbox_message m SET body = NULL, purged_at = $3, purge_rule = $4
           FROM due WHERE m.message_id = due.message_id AND m.purged_at IS NULL)
       UPDATE research_response s SET form = NULL, purged_at = $3, purge_rule = $4
         FROM due WHERE s.id = due.id
       RETURNING s.id, due.message_id, due.victim_ref, s.mailbox_id`,
      [batch.cutoff, batch.limit, batch.purgedAt, this.ruleId],
    );
    return rows.map((row) => ({
      // The delivery the trail knows the answers by; the row's own id for answers from before.
      messageId: row.message_id ?? row.id,
      messageType: MARAC_INFORMATION_RESPONSE.type,
      subjectRef: row.victim_ref,
      // Whose answers they were: the answering agency's mailbox.
      recipientMailbox: row.mailbox_id,
    }));
  }
}
