import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { ExchangeErrorCode, REFERRAL_VIEW, Referral, ReferralView } from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { minimise } from '@app/policy';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { AlreadyProcessed, markProcessed } from '../exchange/processed-messages';
import { RefusalService } from '../exchange/refusal.service';
import { SharingRefusalService } from '../exchange/sharing-refusal.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { SharingPolicyService } from '../policy/sharing-policy.service';
import {
  auditDecision,
  decisionDetail,
  sharedUnder,
  sharingRequest,
} from '../policy/sharing-request';
import { ReferralCalendar } from './referral-calendar.service';
import { refusedSubmission, VerifiedSubmission } from './verified-submission';

/**
 * A verified referral: it must name a mailbox of the node that signed it as the referrer (the
 * outcome goes back there) and carry its message id as its referral id. Routed to the area's
 * `mash` mailbox under the sharing policy (rule referral-to-mash), countersigned and encrypted to
 * the MASH's node, with the delivery, its acknowledgement and outcome deadlines (working days),
 * the hub's `referral` record and the audit events (with the completeness score) in one
 * transaction. A refusal goes back to the referrer as a signed rejection or sharing-refused.
 */
@Injectable()
export class RouteReferralUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly sharingRefusals: SharingRefusalService,
    private readonly policy: SharingPolicyService,
    private readonly calendar: ReferralCalendar,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute(submission: VerifiedSubmission<Referral>): Promise<void> {
    const { claims, body: referral } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string, recipient?: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason, recipient));

    if (referral.referralId !== claims.jti) {
      return refuse(ExchangeErrorCode.SCHEMA_INVALID, 'referralId must be the message id');
    }
    const referrerMailbox = await this.dataSource
      .getRepository(MailboxEntity)
      .findOne({ where: { id: referral.referrerMailboxId, nodeId: claims.iss } });
    if (!referrerMailbox) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        'referrerMailboxId is not a mailbox of the sending node',
      );
    }
    const mash = await this.registry.findMailboxByKind('mash');
    if (!mash) {
      return refuse(ExchangeErrorCode.RECIPIENT_UNKNOWN, 'the area has no MASH mailbox', 'mash');
    }
    if (mash.node?.status !== 'active') {
      return refuse(
        ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
        "the MASH's node is not active",
        mash.id,
      );
    }

    const senderNode = await this.registry.findNode(claims.iss);
    const senderAgency = senderNode?.agencyId;
    const recipientAgency = mash.node?.agencyId;
    const decision = this.policy.decide(
      sharingRequest(
        claims.type,
        referral,
        senderNode?.agency?.kind ?? 'other',
        mash.node?.agency?.kind ?? 'other',
      ),
    );
    const detail = `${decisionDetail(referral, decision)}; completeness ${referral.completeness}`;
    if (decision.effect === 'refuse') {
      return this.sharingRefusals.refuse({
        claims,
        payloadDigest: submission.digest,
        decision,
        recipientMailboxId: mash.id,
        ...(recipientAgency ? { recipientAgency } : {}),
        ...(senderAgency ? { senderAgency } : {}),
        detail,
      });
    }
    const policyAudit = {
      decision: auditDecision(decision),
      ruleId: decision.ruleId,
      policyVersion: decision.policyVersion,
    };

    const now = this.clock.now();
    const acknowledgeBy = this.calendar.acknowledgeBy(now);
    const outcomeBy = this.calendar.outcomeBy(now);
    const view = {
      ...(minimise(referral as unknown as Record<string, unknown>, decision.fields) as object),
      recipientMailboxId: mash.id,
      acknowledgeBy: acknowledgeBy.toISOString(),
    } as ReferralView;
    let sealed;
    try {
      sealed = await this.sender.sealFor<ReferralView>(mash.nodeId, {
        definition: REFERRAL_VIEW,
        subjectRef: claims.sub,
        body: view,
        jti: randomUUID(),
      });
    } catch (error) {
      if (error instanceof NodeUnreachableError) {
        return refuse(
          ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
          "the MASH's node has no current key",
          mash.id,
        );
      }
      throw error;
    }
    const dedupe = createHash('sha256')
      .update(`referral:${referral.referralId}`)
      .digest('base64url');
    const common = {
      actor: HUB_NODE_ID,
      subjectRef: claims.sub,
      senderNode: claims.iss,
      ...(senderAgency ? { senderAgency } : {}),
      completeness: referral.completeness,
    };
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, submission.digest, 'routed'))) {
          throw new AlreadyProcessed();
        }
        await manager.query(
          `INSERT INTO delivery (id, submission_id, sender_node, subject_ref, message_type, dedupe_digest,
             mailbox_id, recipient_node, shared_under, rule_id, policy_version, sender_mailbox)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            sealed.jti,
            claims.jti,
            claims.iss,
            claims.sub,
            claims.type,
            dedupe,
            mash.id,
            mash.nodeId,
            sharedUnder(referral),
            decision.ruleId,
            decision.policyVersion,
            // An escalation of this delivery goes to the referrer's mailbox too.
            referrerMailbox.id,
          ],
        );
        await manager.query(
          `INSERT INTO deadline (delivery_id, mailbox_id, due_at, kind)
           VALUES ($1, $2, $3, 'acknowledgement'), ($1, $2, $4, 'outcome')`,
          [sealed.jti, mash.id, acknowledgeBy, outcomeBy],
        );
        await manager.query(
          `INSERT INTO referral (referral_id, submission_id, delivery_id, subject_ref, referrer_node,
             referrer_mailbox, mash_node, mash_mailbox, consent_position, lawful_basis,
             safeguarding_justification, risk_level, family_informed, completeness)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            referral.referralId,
            claims.jti,
            sealed.jti,
            claims.sub,
            claims.iss,
            referrerMailbox.id,
            mash.nodeId,
            mash.id,
            referral.consent.position,
            referral.lawfulBasis,
            referral.safeguardingJustification ?? null,
            referral.riskLevel,
            referral.familyInformed,
            referral.completeness,
          ],
        );
        await this.outbox.add(manager, [sealed.record]);
        await this.outbox.audit(manager, [
          {
            ...common,
            action: 'verified',
            messageId: claims.jti,
            messageType: claims.type,
            payloadDigest: submission.digest,
          },
          {
            ...common,
            action: 'policy-decision',
            messageId: claims.jti,
            messageType: claims.type,
            recipientMailbox: mash.id,
            ...(recipientAgency ? { recipientAgency } : {}),
            ...policyAudit,
            detail,
          },
          {
            ...common,
            action: 'routed',
            messageId: sealed.jti,
            correlationId: claims.jti,
            messageType: REFERRAL_VIEW.type,
            recipientMailbox: mash.id,
            ...(recipientAgency ? { recipientAgency } : {}),
            ...policyAudit,
            deadline: acknowledgeBy.toISOString(),
            detail: `acknowledge by ${acknowledgeBy.toISOString()}; outcome by ${outcomeBy.toISOString()}`,
            payloadDigest: payloadDigest(sealed.record.value as string),
          },
        ]);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    this.outbox.wake();
  }
}
