import { EntityManager } from 'typeorm';

/** The most message ids one view names (the contract's limit); the newest are kept. */
export const MAX_SHARED_MESSAGE_IDS = 500;

/** One mailbox that received a subject's data from a sender under consent, and which messages. */
export interface ConsentShare {
  mailboxId: string;
  /** The deliveries' ids: the message ids in the mailbox's own inbox. */
  deliveryIds: string[];
}

/**
 * Every mailbox that received this subject's data from this sender under consent. Only the
 * sender's own deliveries count: a node can withdraw only the consent it relied on. Deliveries
 * shared under a justification, and the exchange's own notices (a withdrawal is recorded as not
 * resting on consent), are left out.
 */
export async function consentSharesOf(
  manager: EntityManager,
  senderNode: string,
  subjectRef: string,
): Promise<ConsentShare[]> {
  const rows = (await manager.query(
    `SELECT mailbox_id, array_agg(id::text ORDER BY created_at DESC) AS delivery_ids
       FROM delivery
      WHERE sender_node = $1 AND subject_ref = $2 AND shared_under = 'consent'
      GROUP BY mailbox_id ORDER BY mailbox_id`,
    [senderNode, subjectRef],
  )) as { mailbox_id: string; delivery_ids: string[] }[];
  return rows.map((row) => ({
    mailboxId: row.mailbox_id,
    deliveryIds: row.delivery_ids.slice(0, MAX_SHARED_MESSAGE_IDS),
  }));
}
