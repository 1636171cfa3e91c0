import { createHash, randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
  ReturnHomeInterviewOutcome,
  ReturnHomeInterviewOutcomeView,
} from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import {
  ConsentPosition,
  minimise,
  RiskLevel,
  SafeguardingJustification,
} from '@app/policy';
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
  SharingStatement,
  sharingRequest,
} from '../policy/sharing-request';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';

interface EpisodeRow {
  episode_id: string;
  reporter_node: string;
  subject_ref: string;
  consent_position: ConsentPosition;
  safeguarding_justification: SafeguardingJustification | null;
  risk_level: RiskLevel;
  family_informed: boolean;
  mash_mailbox: string;
  rhi_delivery_id: string | null;
  rhi_outcome_message_id: string | null;
}

/**
 * Social care's outcome of a return home interview. The episode is looked up in the hub's own
 * records, and only the node the hub delivered it to (the MASH's) may answer, once, and only
 * after the child was reported found (the interview's deadline exists). The outcome goes to the
 * node that reported the episode — nothing in the outcome chooses the recipient — under the
 * sharing policy (return-home-interview-outcome-to-reporter), asked with the episode's consent,
 * justification and risk and social care's own lawful basis. The interview deadline is met, and
 * the delivery, the outbox record and the audit events are written in one transaction.
 */
@Injectable()
export class RouteReturnHomeInterviewUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly sharingRefusals: SharingRefusalService,
    private readonly policy: SharingPolicyService,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(submission: VerifiedSubmission<ReturnHomeInterviewOutcome>): Promise<void> {
    const { claims, body: outcome } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));

    const [episode] = (await this.dataSource.query(
      `SELECT * FROM missing_episode WHERE episode_id = $1 AND mash_node = $2`,
      [outcome.episodeId, claims.iss],
    )) as EpisodeRow[];
    if (!episode) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the outcome names no missing episode delivered to this node',
      );
    }
    if (episode.rhi_outcome_message_id) {
      return refuse(
        ExchangeErrorCode.REPLAYED,
        'this episode already has a return home interview outcome',
      );
    }
    if (!episode.rhi_delivery_id) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'no return home interview is due: the child has not been reported found to this node',
      );
    }
    const reporter = await this.registry.findNode(episode.reporter_node);
    const senderNode = await this.registry.findNode(claims.iss);
    const statement: SharingStatement = {
      consent: { position: episode.consent_position },
      // Social care's own basis for telling the reporter, not the reporter's (police rely on
      // DPA 2018 Sch. 8, which no other agency may cite).
      lawfulBasis: outcome.lawfulBasis,
      ...(episode.safeguarding_justification
        ? { safeguardingJustification: episode.safeguarding_justification }
        : {}),
      familyInformed: episode.family_informed,
      riskLevel: episode.risk_level,
    };
    const decision = this.policy.decide(
      sharingRequest(
        claims.type,
        statement,
        senderNode?.agency?.kind ?? 'other',
        reporter?.agency?.kind ?? 'other',
      ),
    );
    const senderAgency = senderNode?.agencyId;
    const recipientAgency = reporter?.agencyId;
    const detail = `${decisionDetail(statement, decision)}; outcome ${outcome.outcome}`;
    if (decision.effect === 'refuse') {
      return this.sharingRefusals.refuse({
        claims,
        payloadDigest: submission.digest,
        decision,
        recipientMailboxId: episode.reporter_node,
        ...(recipientAgency ? { recipientAgency } : {}),
        ...(senderAgency ? { senderAgency } : {}),
        detail,
      });
    }
    const view = {
      ...(minimise(outcome as unknown as Record<string, unknown>, decision.fields) as object),
      episodeId: episode.episode_id,
      fromMailboxId: episode.mash_mailbox,
    } as ReturnHomeInterviewOutcomeView;
    let sealed;
    try {
      sealed = await this.sender.sealFor<ReturnHomeInterviewOutcomeView>(episode.reporter_node, {
        definition: RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
        subjectRef: episode.subject_ref,
        body: view,
        jti: randomUUID(),
      });
    } catch (error) {
      if (error instanceof NodeUnreachableError) {
        return refuse(
          ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
          "the reporter's node has no current key",
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
      subjectRef: episode.subject_ref,
      senderNode: claims.iss,
      ...(senderAgency ? { senderAgency } : {}),
      ...(recipientAgency ? { recipientAgency } : {}),
    };
    const dedupe = createHash('sha256')
      .update(`return-home-interview:${episode.episode_id}`)
      .digest('base64url');
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, submission.digest, 'routed'))) {
          throw new AlreadyProcessed();
        }
        const updated: unknown[] = await manager.query(
          `UPDATE missing_episode SET rhi_outcome_message_id = $2, rhi_outcome = $3,
             rhi_outcome_at = now(), updated_at = now()
            WHERE episode_id = $1 AND rhi_outcome_message_id IS NULL RETURNING episode_id`,
          [episode.episode_id, claims.jti, outcome.outcome],
        );
        // A second outcome committed since the check above: roll back; the retry refuses it.
        if (updated.length === 0) throw new Error('the episode was answered concurrently');
        // Addressed to the reporter's node, not to a mailbox: no mailbox id.
        await manager.query(
          `INSERT INTO delivery (id, submission_id, sender_node, subject_ref, message_type, dedupe_digest,
             mailbox_id, recipient_node, shared_under, rule_id, policy_version)
           VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10)`,
          [
            sealed.jti,
            claims.jti,
            claims.iss,
            episode.subject_ref,
            claims.type,
            dedupe,
            episode.reporter_node,
            sharedUnder(statement),
            decision.ruleId,
            decision.policyVersion,
          ],
        );
        // Met, unless already escalated: a late outcome does not undo the escalation.
        await manager.query(
          `UPDATE deadline SET state = 'met', closed_at = now()
            WHERE delivery_id = $1 AND kind = 'return-home-interview' AND state = 'open'`,
          [episode.rhi_delivery_id],
        );
        await this.outbox.add(manager, [sealed.record]);
        await this.outbox.audit(manager, [
          {
            ...common,
            action: 'verified',
            messageId: claims.jti,
            correlationId: episode.episode_id,
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
            action: 'return-home-interview',
            messageId: sealed.jti,
            correlationId: episode.episode_id,
            messageType: RETURN_HOME_INTERVIEW_OUTCOME_VIEW.type,
            ...policyAudit,
            detail: `outcome ${outcome.outcome}; to ${episode.reporter_node}`,
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
