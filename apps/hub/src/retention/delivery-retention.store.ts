import { Injectable } from '@nestjs/common';
import { updateReturning } from '@app/persistence';
import { PurgeBatch, PurgedItem, RetentionStore } from '@app/retention';
import { EntityManager } from 'typeorm';

type DeliveryRow = {
  id: string;
  message_type: string;
  subject_ref: string | null;
  mailbox_id: string;
};

/**
 * The hub's deliveries and their deadlines (rule hub-delivery-closed). Due once no deadline of
 * the delivery is open (an unacknowledged one is open until it is escalated) and the last of its
 * times (created, delivered, acknowledged, each deadline's closing) is before the cutoff. The
 * hub holds no payload; what goes is what ties the delivery to a subject and a person: the
 * subject reference, who acknowledged, and the deadline rows.
 */
@Injectable()
export class DeliveryRetentionStore implements RetentionStore {
  readonly ruleId = 'hub-delivery-closed' as const;

  async purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]> {
    const rows = await updateReturning<DeliveryRow>(
      manager,
      `WITH due AS (
         SELECT d.id, d.subject_ref FROM delivery d
          WHERE d.purged_at IS NULL
            AND NOT EXISTS (
              SELECT 1 FROM deadline x WHERE x.delivery_id = d.id AND x.state = 'open')
            AND GREATEST(d.created_at, d.delivered_at, d.acknowledged_at,
                  (SELECT max(x.closed_at) FROM deadline x WHERE x.delivery_id = d.id)) < $1
          ORDER BY d.created_at LIMIT $2 FOR UPDATE OF d SKIP LOCKED),
       closed AS (DELETE FROM deadline x USING due WHERE x.delivery_id = due.id)
       UPDATE delivery d
          SET subject_ref = NULL, acknowledged_by = NULL, purged_at = $3, purge_rule = $4
         FROM due WHERE d.id = due.id
       RETURNING d.id, d.message_type, due.subject_ref, d.mailbox_id`,
      [batch.cutoff, batch.limit, batch.purgedAt, this.ruleId],
    );
    return rows.map((row) => ({
      messageId: row.id,
      messageType: row.message_type,
      subjectRef: row.subject_ref,
      recipientMailbox: row.mailbox_id,
    }));
  }
}
