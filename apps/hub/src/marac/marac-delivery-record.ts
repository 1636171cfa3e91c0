import { EntityManager } from 'typeorm';

import { RecordedTerms } from './marac-statement';

/** What the hub recorded when it delivered a MARAC request or action to a member mailbox. */
export interface MaracDeliveryRow extends RecordedTerms {
  ref_id: string;
  case_id: string;
  submission_id: string;
  delivery_id: string;
  marac_node: string;
  reply_mailbox: string;
  recipient_node: string;
  recipient_mailbox: string;
  recipient_agency: string;
  answered_message_id: string | null;
  completed_message_id: string | null;
}

/**
 * The request or action a member's answer or update is about, only if the hub delivered it to
 * that node and that mailbox: a node may only speak for what reached its own mailbox.
 */
export async function deliveredToSender(
  manager: EntityManager,
  kind: 'information-request' | 'action',
  refId: string,
  caseId: string,
  senderNode: string,
  mailboxId: string,
): Promise<MaracDeliveryRow | undefined> {
  const [row] = (await manager.query(
    `SELECT * FROM marac_delivery
      WHERE ref_kind = $1 AND ref_id = $2 AND case_id = $3 AND recipient_node = $4
        AND recipient_mailbox = $5`,
    [kind, refId, caseId, senderNode, mailboxId],
  )) as MaracDeliveryRow[];
  return row;
}
