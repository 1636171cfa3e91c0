import { SharingStatementFields } from '@app/contracts';
import { EntityManager } from 'typeorm';

import { DeliveredShare } from '../routing/route-plan';
import { MemberTarget } from './marac-member-mailboxes.service';

/**
 * The hub remembers each MARAC request and action it delivered: to which node and mailbox (the
 * only ones whose answer or update it will take), where answers go (the coordinator's mailbox),
 * and the codes of the terms it was shared under (what an answer is asked of the policy with).
 */
export async function recordMaracDelivery(
  manager: EntityManager,
  kind: 'information-request' | 'action',
  refId: string,
  caseId: string,
  submissionId: string,
  target: MemberTarget,
  share: DeliveredShare,
  terms: SharingStatementFields,
): Promise<void> {
  await manager.query(
    `INSERT INTO marac_delivery (ref_kind, ref_id, case_id, submission_id, delivery_id, marac_node,
       marac_agency, reply_mailbox, recipient_node, recipient_mailbox, recipient_agency,
       consent_position, lawful_basis, safeguarding_justification, family_informed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (ref_kind, ref_id) DO NOTHING`,
    [
      kind,
      refId,
      caseId,
      submissionId,
      share.deliveryId,
      target.maracNode.id,
      target.maracNode.agencyId,
      target.coordinator.id,
      target.mailbox.nodeId,
      target.mailbox.id,
      target.mailbox.node!.agencyId,
      terms.consent.position,
      terms.lawfulBasis,
      terms.safeguardingJustification ?? null,
      terms.familyInformed,
    ],
  );
}
