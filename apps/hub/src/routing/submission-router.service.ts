import { createHash } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import {
  ExchangeErrorCode,
  REJECTION,
  Rejection,
  SHARING_REFUSED,
  SharingRefused,
} from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { AuditDraft, OutboxRecord, OutboxWriter } from '@app/messaging';
import { MailboxEntity, NodeEntity, RegistryService } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';

import { HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { AlreadyProcessed, markProcessed, ProcessedOutcome } from '../exchange/processed-messages';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { SharingPolicyService } from '../policy/sharing-policy.service';
import {
  auditDecision,
  decisionDetail,
  sharedUnder,
  sharingRequest,
} from '../policy/sharing-request';
import {
  ACKNOWLEDGEMENT_DEADLINE,
  DeliveredShare,
  RecipientPlan,
  RefusedShare,
  RouteOutcome,
  RoutePlan,
} from './route-plan';

/** The hub's key for "the same delivery": a digest, so the table holds no personal data. */
export function dedupeDigest(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

interface SealedShare {
  plan: RecipientPlan;
  share: DeliveredShare;
  record: OutboxRecord;
}

/**
 * Routes one verified submission to the mailboxes it is meant for. Per recipient: a suspended
 * node (or one without a key) gets nothing and the sender a signed rejection; the sharing policy
 * decides from the registry's agency kinds, never the message's claims; a refusal sends the
 * sender a signed sharing-refused; an allowed view is minimised by the rule's fields, countersigned
 * and encrypted to the recipient's node. Then one transaction records the submission as processed,
 * every delivery and deadline, the outbox records and the audit events, so a re-published copy
 * has no second effect and a crash leaves either everything or nothing.
 */
@Injectable()
export class SubmissionRouter {
  private readonly logger = new Logger(SubmissionRouter.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly policy: SharingPolicyService,
    private readonly sender: HubSender,
    private readonly outbox: OutboxWriter,
  ) {}

  async route(plan: RoutePlan): Promise<RouteOutcome> {
    const { claims } = plan.submission.verified;
    const senderNode = await this.registry.findNode(claims.iss);
    const senderAgency = senderNode?.agencyId;
    const subjectRef = plan.subjectRef ?? claims.sub;
    const outcome: RouteOutcome = {
      delivered: [],
      refused: [],
      unreachable: [],
      alreadyDelivered: [],
      alreadyProcessed: false,
    };
    const sealed: SealedShare[] = [];
    const records: OutboxRecord[] = [];
    const audits: AuditDraft[] = [];
    const suffix = (extra?: string) =>
      [plan.detail, extra].filter((part): part is string => Boolean(part)).join('; ');
    const about = (mailbox: MailboxEntity) => ({
      actor: HUB_NODE_ID,
      subjectRef,
      senderNode: claims.iss,
      ...(senderAgency ? { senderAgency } : {}),
      recipientMailbox: mailbox.id,
      ...(mailbox.node?.agencyId ? { recipientAgency: mailbox.node.agencyId } : {}),
    });

    for (const recipient of plan.recipients) {
      const { mailbox } = recipient;
      if (mailbox.node?.status !== 'active') {
        outcome.unreachable.push(mailbox);
        continue;
      }
      const statement = recipient.statement ?? plan.statement;
      const decision = this.policy.decide(
        sharingRequest(
          recipient.policyType ?? claims.type,
          statement,
          kindOf(senderNode),
          kindOf(mailbox.node),
        ),
      );
      const detail = suffix(
        [decisionDetail(statement, decision), recipient.detail].filter(Boolean).join('; '),
      );
      const policyAudit = {
        ...about(mailbox),
        messageId: claims.jti,
        messageType: claims.type,
        ...(plan.correlationId ? { correlationId: plan.correlationId } : {}),
        decision: auditDecision(decision),
        ruleId: decision.ruleId,
        policyVersion: decision.policyVersion,
        detail,
      };
      audits.push({ ...policyAudit, action: 'policy-decision' });
      if (decision.effect === 'refuse') {
        outcome.refused.push({ mailbox, decision });
        audits.push({ ...policyAudit, action: 'sharing-refused' });
        continue;
      }
      const [earlier] = (await this.dataSource.query(
        `SELECT submission_id FROM delivery
          WHERE sender_node = $1 AND dedupe_digest = $2 AND mailbox_id = $3`,
        [claims.iss, dedupeDigest(recipient.dedupeKey), mailbox.id],
      )) as { submission_id: string }[];
      if (earlier) {
        outcome.alreadyDelivered.push({ mailbox, submissionId: earlier.submission_id });
        continue;
      }
      const view = recipient.view(decision.fields, mailbox);
      try {
        const { jti, record } = await this.sender.sealFor(mailbox.nodeId, {
          definition: view.definition,
          subjectRef,
          body: view.body,
        });
        const share: DeliveredShare = {
          mailbox,
          deliveryId: jti,
          ruleId: decision.ruleId,
          policyVersion: decision.policyVersion,
          sharedUnder: sharedUnder(statement),
        };
        sealed.push({ plan: recipient, share, record });
        outcome.delivered.push(share);
        records.push(record);
        // The acknowledgement deadline is the one the metrics hold an acknowledgement to; every
        // deadline is in the detail.
        const acknowledgeBy = recipient.deadlines?.find(
          (deadline) => deadline.kind === ACKNOWLEDGEMENT_DEADLINE,
        );
        audits.push({
          ...about(mailbox),
          action: recipient.auditAction ?? 'routed',
          messageId: jti,
          correlationId: plan.correlationId ?? claims.jti,
          messageType: view.definition.type,
          decision: policyAudit.decision,
          ruleId: decision.ruleId,
          policyVersion: decision.policyVersion,
          ...(acknowledgeBy ? { deadline: acknowledgeBy.dueAt.toISOString() } : {}),
          ...(recipient.deadlines?.length
            ? {
                detail: recipient.deadlines
                  .map((deadline) => `${deadline.kind} by ${deadline.dueAt.toISOString()}`)
                  .join('; '),
              }
            : {}),
          payloadDigest: payloadDigest(record.value as string),
        });
      } catch (error) {
        if (!(error instanceof NodeUnreachableError)) throw error;
        outcome.unreachable.push(mailbox);
      }
    }

    records.push(
      ...(await this.refusalsToSender(plan, subjectRef, outcome.refused, outcome.unreachable)),
    );
    for (const mailbox of outcome.unreachable) {
      audits.push({
        ...about(mailbox),
        action: 'rejected',
        messageId: claims.jti,
        messageType: claims.type,
        errorCode: ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
        detail: suffix(`the recipient's node is not active or has no current key`),
      });
    }
    audits.unshift({
      actor: HUB_NODE_ID,
      action: 'verified',
      messageId: claims.jti,
      subjectRef,
      messageType: claims.type,
      senderNode: claims.iss,
      ...(senderAgency ? { senderAgency } : {}),
      ...(plan.correlationId ? { correlationId: plan.correlationId } : {}),
      ...(plan.completeness !== undefined ? { completeness: plan.completeness } : {}),
      payloadDigest: plan.submission.digest,
    });

    if (!outcome.delivered.length && !outcome.refused.length && !outcome.unreachable.length) {
      // Nothing to record (every recipient already had it): the caller says what the sender is told.
      return outcome;
    }
    try {
      await this.dataSource.transaction(async (manager) => {
        if (
          !(await markProcessed(
            manager,
            claims.jti,
            claims.iss,
            plan.submission.digest,
            processedOutcome(outcome),
          ))
        ) {
          throw new AlreadyProcessed();
        }
        for (const { plan: recipient, share } of sealed) {
          await this.recordDelivery(manager, plan, recipient, share, subjectRef);
        }
        await plan.alsoWrite?.(manager, outcome);
        await this.outbox.add(manager, records);
        await this.outbox.audit(manager, audits);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return { ...outcome, alreadyProcessed: true };
      throw error;
    }
    if (records.length > 0) this.outbox.wake();
    return outcome;
  }

  private async recordDelivery(
    manager: EntityManager,
    plan: RoutePlan,
    recipient: RecipientPlan,
    share: DeliveredShare,
    subjectRef: string,
  ): Promise<void> {
    const { claims } = plan.submission.verified;
    const inserted: unknown[] = await manager.query(
      `INSERT INTO delivery (id, submission_id, sender_node, subject_ref, message_type, dedupe_digest,
         mailbox_id, recipient_node, shared_under, rule_id, policy_version, sender_mailbox)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (sender_node, dedupe_digest, mailbox_id) DO NOTHING RETURNING id`,
      [
        share.deliveryId,
        claims.jti,
        claims.iss,
        subjectRef,
        claims.type,
        dedupeDigest(recipient.dedupeKey),
        share.mailbox.id,
        share.mailbox.nodeId,
        share.sharedUnder,
        share.ruleId,
        share.policyVersion,
        plan.senderMailboxId ?? null,
      ],
    );
    if (inserted.length === 0) {
      // Another submission won a race for the same delivery since the check: roll back and let
      // the record be retried, which then finds the earlier delivery and says so.
      throw new Error(`a delivery with this dedupe key to ${share.mailbox.id} was just recorded`);
    }
    for (const deadline of recipient.deadlines ?? []) {
      await manager.query(
        'INSERT INTO deadline (delivery_id, mailbox_id, due_at, kind) VALUES ($1, $2, $3, $4)',
        [share.deliveryId, share.mailbox.id, deadline.dueAt, deadline.kind],
      );
    }
  }

  /** Signed notices to the sender: one sharing-refused per refusal, one rejection per node down. */
  private async refusalsToSender(
    plan: RoutePlan,
    subjectRef: string,
    refused: RefusedShare[],
    unreachable: MailboxEntity[],
  ): Promise<OutboxRecord[]> {
    const { claims } = plan.submission.verified;
    const records: OutboxRecord[] = [];
    try {
      for (const { mailbox, decision } of refused) {
        const { record } = await this.sender.sealFor<SharingRefused>(claims.iss, {
          definition: SHARING_REFUSED,
          subjectRef,
          body: {
            messageId: claims.jti,
            ruleId: decision.ruleId,
            policyVersion: decision.policyVersion,
            reason: decision.reason.slice(0, 1000),
            recipientMailboxId: mailbox.id,
          },
        });
        records.push(record);
      }
      for (const mailbox of unreachable) {
        const { record } = await this.sender.sealFor<Rejection>(claims.iss, {
          definition: REJECTION,
          subjectRef,
          body: {
            messageId: claims.jti,
            code: ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
            reason: `the node of mailbox ${mailbox.id} is not active or has no current key`,
            recipient: mailbox.id,
          },
        });
        records.push(record);
      }
    } catch (error) {
      if (!(error instanceof NodeUnreachableError)) throw error;
      // The sender cannot be written to: the audit trail still says what happened.
      this.logger.warn(`no refusal sent to ${claims.iss}: ${error.message}`);
      return [];
    }
    return records;
  }
}

function kindOf(node: NodeEntity | null | undefined) {
  return node?.agency?.kind ?? 'other';
}

function processedOutcome(outcome: RouteOutcome): ProcessedOutcome {
  if (outcome.delivered.length > 0) return 'routed';
  if (outcome.refused.length > 0) return 'sharing-refused';
  return 'rejected';
}
