import { Injectable } from '@nestjs/common';
import { EnvelopeClaims, SHARING_REFUSED, SharingRefused } from '@app/contracts';
import { AuditDraft, OutboxWriter } from '@app/messaging';
import { SharingDecision } from '@app/policy';
import { DataSource } from 'typeorm';

import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { HubSender } from './hub-sender.service';
import { AlreadyProcessed, markProcessed } from './processed-messages';

/** A sound message the sharing policy refused for one recipient. */
export interface PolicyRefusal {
  claims: Pick<EnvelopeClaims, 'iss' | 'jti' | 'sub' | 'type'>;
  payloadDigest: string;
  decision: Extract<SharingDecision, { effect: 'refuse' }>;
  recipientMailboxId: string;
  recipientAgency?: string;
  senderAgency?: string;
  /** The audit `detail`: whether the family was told, consent and basis codes. */
  detail: string;
}

/**
 * The sharing policy said no: the sender gets a signed `sharing-refused` naming the rule, the
 * policy version and the rule's reason; nothing is delivered; the decision and the refusal are
 * audited. One transaction with the processed mark, so a re-published copy refuses nothing twice.
 */
@Injectable()
export class SharingRefusalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly sender: HubSender,
  ) {}

  async refuse(refusal: PolicyRefusal): Promise<void> {
    const { claims, decision } = refusal;
    const { record } = await this.sender.sealFor<SharingRefused>(claims.iss, {
      definition: SHARING_REFUSED,
      subjectRef: claims.sub,
      body: {
        messageId: claims.jti,
        ruleId: decision.ruleId,
        policyVersion: decision.policyVersion,
        reason: decision.reason.slice(0, 1000),
        recipientMailboxId: refusal.recipientMailboxId,
      },
    });
    const common = {
      actor: HUB_NODE_ID,
      messageId: claims.jti,
      subjectRef: claims.sub,
      messageType: claims.type,
      senderNode: claims.iss,
      ...(refusal.senderAgency ? { senderAgency: refusal.senderAgency } : {}),
      recipientMailbox: refusal.recipientMailboxId,
      ...(refusal.recipientAgency ? { recipientAgency: refusal.recipientAgency } : {}),
      ruleId: decision.ruleId,
      policyVersion: decision.policyVersion,
    };
    const audits: AuditDraft[] = [
      {
        action: 'verified',
        actor: HUB_NODE_ID,
        messageId: claims.jti,
        subjectRef: claims.sub,
        messageType: claims.type,
        senderNode: claims.iss,
        ...(refusal.senderAgency ? { senderAgency: refusal.senderAgency } : {}),
        payloadDigest: refusal.payloadDigest,
      },
      { ...common, action: 'policy-decision', decision: 'refuse', detail: refusal.detail },
      { ...common, action: 'sharing-refused', decision: 'refuse', detail: refusal.detail },
    ];
    try {
      await this.dataSource.transaction(async (manager) => {
        if (
          !(await markProcessed(
            manager,
            claims.jti,
            claims.iss,
            refusal.payloadDigest,
            'sharing-refused',
          ))
        ) {
          throw new AlreadyProcessed();
        }
        await this.outbox.add(manager, [record]);
        await this.outbox.audit(manager, audits);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    this.outbox.wake();
  }
}
