import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  REFERRAL_OUTCOME_VIEW,
  ReferralOutcome,
  ReferralOutcomeView,
} from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { minimise } from '@app/policy';
import { RegistryService } from '@app/registry';
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
import { referralOutcomeStatement, ReferralSharingCodes } from './referral-outcome-statement';
import { refusedSubmission, VerifiedSubmission } from './verified-submission';

interface ReferralRow extends ReferralSharingCodes {
  referral_id: string;
  submission_id: string;
  delivery_id: string;
  subject_ref: string;
  referrer_node: string;
  referrer_mailbox: string;
  mash_mailbox: string;
  outcome_message_id: string | null;
}

/**
 * Social care's outcome of a referral. The referral is looked up by its id in the hub's own
 * records, and only the node the hub delivered it to may answer it; the outcome goes to the
 * referrer's mailbox recorded then, whatever the outcome says, under the sharing policy (rule
 * referral-outcome-to-referrer, asked with social care's own basis and the referral's consent
 * and risk: referralOutcomeStatement). The
 * referral's acknowledgement and outcome deadlines are met; the delivery, the outbox record and
 * the audit events are written in one transaction. A second outcome is refused.
 */
@Injectable()
export class RouteReferralOutcomeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly sharingRefusals: SharingRefusalService,
    private readonly policy: SharingPolicyService,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(submission: VerifiedSubmission<ReferralOutcome>): Promise<void> {
    const { claims, body: outcome } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));

    const [referral] = (await this.dataSource.query(
      `SELECT * FROM referral WHERE referral_id = $1 AND mash_node = $2`,
      [outcome.referralId, claims.iss],
    )) as ReferralRow[];
    if (!referral) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the outcome names no referral delivered to this node',
      );
    }
    if (referral.outcome_message_id) {
      return refuse(ExchangeErrorCode.REPLAYED, 'this referral already has an outcome');
    }
    const referrer = await this.registry.findNode(referral.referrer_node);
    const senderNode = await this.registry.findNode(claims.iss);
    const statement = referralOutcomeStatement(referral);
    const decision = this.policy.decide(
      sharingRequest(
        claims.type,
        statement,
        senderNode?.agency?.kind ?? 'other',
        referrer?.agency?.kind ?? 'other',
      ),
    );
    const senderAgency = senderNode?.agencyId;
    const recipientAgency = referrer?.agencyId;
    const detail = `${decisionDetail(statement, decision)}; outcome ${outcome.outcome}`;
    if (decision.effect === 'refuse') {
      return this.sharingRefusals.refuse({
        claims,
        payloadDigest: submission.digest,
        decision,
        recipientMailboxId: referral.referrer_mailbox,
        ...(recipientAgency ? { recipientAgency } : {}),
        ...(senderAgency ? { senderAgency } : {}),
        detail,
      });
    }
    const view = {
      ...(minimise(outcome as unknown as Record<string, unknown>, decision.fields) as object),
      referralId: referral.referral_id,
      recipientMailboxId: referral.referrer_mailbox,
    } as ReferralOutcomeView;
    let sealed;
    try {
      sealed = await this.sender.sealFor<ReferralOutcomeView>(referral.referrer_node, {
        definition: REFERRAL_OUTCOME_VIEW,
        subjectRef: referral.subject_ref,
        body: view,
        jti: randomUUID(),
      });
    } catch (error) {
      if (error instanceof NodeUnreachableError) {
        return refuse(
          ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
          "the referrer's node has no current key",
        );
      }
      throw error;
    }
    const policyAudit = {
      decision: auditDecision(decision),
      ruleId: decision.ruleId,
      policyVersion: decision.policyVersion,
    };
    const common = {
      actor: HUB_NODE_ID,
      subjectRef: referral.subject_ref,
      senderNode: claims.iss,
      ...(senderAgency ? { senderAgency } : {}),
      recipientMailbox: referral.referrer_mailbox,
      ...(recipientAgency ? { recipientAgency } : {}),
    };
    const dedupe = createHash('sha256')
      .update(`referral-outcome:${referral.referral_id}`)
      .digest('base64url');
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, submission.digest, 'routed'))) {
          throw new AlreadyProcessed();
        }
        const updated: unknown[] = await manager.query(
          `UPDATE referral SET outcome_message_id = $2, outcome = $3, outcome_at = now()
            WHERE referral_id = $1 AND outcome_message_id IS NULL RETURNING referral_id`,
          [referral.referral_id, claims.jti, outcome.outcome],
        );
        if (updated.length === 0) throw new AlreadyProcessed();
        await manager.query(
          `INSERT INTO delivery (id, submission_id, sender_node, subject_ref, message_type, dedupe_digest,
             mailbox_id, recipient_node, shared_under, rule_id, policy_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            sealed.jti,
            claims.jti,
            claims.iss,
            referral.subject_ref,
            claims.type,
            dedupe,
            referral.referrer_mailbox,
            referral.referrer_node,
            sharedUnder(statement),
            decision.ruleId,
            decision.policyVersion,
          ],
        );
        // The decision answers the referral: neither deadline can fall due after it.
        await manager.query(
          `UPDATE deadline SET state = 'met', closed_at = now()
            WHERE delivery_id = $1 AND state = 'open'`,
          [referral.delivery_id],
        );
        await this.outbox.add(manager, [sealed.record]);
        await this.outbox.audit(manager, [
          {
            ...common,
            action: 'verified',
            messageId: claims.jti,
            correlationId: referral.submission_id,
            messageType: claims.type,
            payloadDigest: submission.digest,
          },
          {
            ...common,
            action: 'policy-decision',
            messageId: claims.jti,
            messageType: claims.type,
            ...policyAudit,
            detail,
          },
          {
            ...common,
            action: 'referral-outcome',
            messageId: sealed.jti,
            correlationId: referral.submission_id,
            messageType: REFERRAL_OUTCOME_VIEW.type,
            ...policyAudit,
            detail: `outcome ${outcome.outcome}`,
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
