import { Injectable } from '@nestjs/common';
import { updateReturning } from '@app/persistence';
import { PurgeBatch, PurgedItem, REFERRAL_VIEW_TYPES, RetentionStore } from '@app/retention';
import { EntityManager } from 'typeorm';

type InboxRow = {
  message_id: string;
  type: string;
  subject_ref: string | null;
  mailbox_id: string | null;
};

/**
 * Clears the body (the JWE: the only copy of the view; a read decrypts it, nothing decrypted is
 * stored) of the due inbox rows `dueRows` selects, and marks each the tombstone of its rule.
 * `dueRows` is a SELECT of `m.message_id` from `inbox_message m` taking the rows FOR UPDATE
 * SKIP LOCKED, with $1 the cutoff and $2 the limit.
 */
async function purgeInbox(
  manager: EntityManager,
  batch: PurgeBatch,
  ruleId: string,
  dueRows: string,
  extra: unknown[] = [],
): Promise<PurgedItem[]> {
  const rows = await updateReturning<InboxRow>(
    manager,
    `WITH due AS (${dueRows})
     UPDATE inbox_message m SET body = NULL, purged_at = $3, purge_rule = $4
       FROM due WHERE m.message_id = due.message_id
     RETURNING m.message_id, m.type, m.subject_ref, m.mailbox_id`,
    [batch.cutoff, batch.limit, batch.purgedAt, ruleId, ...extra],
  );
  return rows.map((row) => ({
    messageId: row.message_id,
    messageType: row.type,
    subjectRef: row.subject_ref,
    recipientMailbox: row.mailbox_id,
  }));
}

/**
 * A mailbox's deliveries, once acknowledged and past the period; never one still waiting. An
 * earlier report of a thread (a missing episode reported again) is never acknowledged itself:
 * it goes once the thread's latest, which replaced it, was acknowledged and is past the period.
 */
@Injectable()
export class AcknowledgedInboxStore implements RetentionStore {
  readonly ruleId = 'inbox-acknowledged' as const;

  purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]> {
    return purgeInbox(
      manager,
      batch,
      this.ruleId,
      `SELECT m.message_id FROM inbox_message m
        WHERE m.purged_at IS NULL AND m.mailbox_id IS NOT NULL AND m.type <> ALL($5)
          AND ((m.status = 'acknowledged' AND m.acknowledged_at < $1)
            OR (m.superseded_by IS NOT NULL AND EXISTS (
                  SELECT 1 FROM inbox_message t
                   WHERE t.mailbox_id = m.mailbox_id AND t.thread_key = m.thread_key
                     AND t.superseded_by IS NULL AND t.status = 'acknowledged'
                     AND t.acknowledged_at < $1)))
        ORDER BY m.received_at LIMIT $2 FOR UPDATE OF m SKIP LOCKED`,
      [[...REFERRAL_VIEW_TYPES]],
    );
  }
}

/** A referral view at the MASH: kept until it is acknowledged and its outcome sent, then the period. */
@Injectable()
export class AnsweredReferralInboxStore implements RetentionStore {
  readonly ruleId = 'inbox-referral-answered' as const;

  purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]> {
    return purgeInbox(
      manager,
      batch,
      this.ruleId,
      `SELECT m.message_id FROM inbox_message m
         JOIN received_referral r ON r.message_id = m.message_id AND r.mailbox_id = m.mailbox_id
        WHERE m.purged_at IS NULL AND m.status = 'acknowledged' AND m.acknowledged_at < $1
          AND r.outcome_sent_at < $1 AND m.type = ANY($5)
        ORDER BY r.outcome_sent_at LIMIT $2 FOR UPDATE OF m SKIP LOCKED`,
      [[...REFERRAL_VIEW_TYPES]],
    );
  }
}

/** Messages to the node itself (no mailbox, nothing to acknowledge), past the period. */
@Injectable()
export class NodeNoticeInboxStore implements RetentionStore {
  readonly ruleId = 'inbox-node-notice' as const;

  purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]> {
    return purgeInbox(
      manager,
      batch,
      this.ruleId,
      `SELECT m.message_id FROM inbox_message m
        WHERE m.purged_at IS NULL AND m.mailbox_id IS NULL AND m.received_at < $1
        ORDER BY m.received_at LIMIT $2 FOR UPDATE OF m SKIP LOCKED`,
    );
  }
}

/** Every node's inbox stores, in the order they run. */
export const INBOX_RETENTION_STORES = [
  AcknowledgedInboxStore,
  AnsweredReferralInboxStore,
  NodeNoticeInboxStore,
];
