import { createHash, randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import {
  DOMESTIC_ABUSE_NOTIFICATION,
  DomesticAbuseNotification,
  ENCOMPASS_VIEW,
  ExchangeError,
  ExchangeErrorCode,
  isExchangeError,
  REFERRAL,
  REFERRAL_OUTCOME,
  Referral,
  ReferralOutcome,
  REJECTION,
  Rejection,
} from '@app/contracts';
import { payloadDigest, VerifiedEnvelope } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { nextSchoolDayStart, SchoolDayCalendar } from '@app/calendar';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HubEnv } from '../config/hub.env';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { EnvelopeVerifierService } from '../verification/envelope-verifier.service';
import { HubSender, NodeUnreachableError } from './hub-sender.service';
import { EnvelopeIntake } from './envelope-intake.service';
import { IncomingRecord } from './incoming-record';
import { AlreadyProcessed, markProcessed, processedDigest } from './processed-messages';
import { SharingPolicyService } from '../policy/sharing-policy.service';
import {
  auditDecision,
  decisionDetail,
  sharedUnder,
  sharingRequest,
} from '../policy/sharing-request';
import { encompassView } from './recipient-view';
import { RefusalService } from './refusal.service';
import { SharingRefusalService } from './sharing-refusal.service';
import { RouteReferralOutcomeUseCase } from '../referrals/route-referral-outcome.usecase';
import { RouteReferralUseCase } from '../referrals/route-referral.usecase';

/** Submission types routed by their own use case (apps/hub/src/referrals). */
const REFERRAL_TYPES: readonly string[] = [REFERRAL.type, REFERRAL_OUTCOME.type];

/** The area calendar of the hub's configuration. */
export function calendarOf(env: HubEnv): SchoolDayCalendar {
  return {
    dayStart: env.DEADLINE_SCHOOL_DAY_START,
    timeZone: env.DEADLINE_TIME_ZONE,
    skipWeekends: env.DEADLINE_SKIP_WEEKENDS === 'true',
    nonSchoolDays: env.DEADLINE_NON_SCHOOL_DAYS.split(',').filter(Boolean),
  };
}

/**
 * One submitted envelope: verify (trust layer), then, for a domestic abuse notification, route
 * it to the child's school (or the LA education mailbox for a child educated at home), ask the
 * sharing policy (refusal: a signed `sharing-refused` to the sender and nothing delivered), build
 * the view the deciding rule allows, countersign and encrypt it to the recipient node, and
 * record the delivery, its deadline, the outbox record and the audit events in one transaction.
 */
@Injectable()
export class ProcessSubmissionUseCase {
  private readonly logger = new Logger(ProcessSubmissionUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: EnvelopeVerifierService,
    private readonly intake: EnvelopeIntake,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly sharingRefusals: SharingRefusalService,
    private readonly policy: SharingPolicyService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly env: HubEnv,
    private readonly referrals: RouteReferralUseCase,
    private readonly referralOutcomes: RouteReferralOutcomeUseCase,
  ) {}

  async execute(record: IncomingRecord): Promise<void> {
    const accepted = await this.intake.accept<DomesticAbuseNotification>(
      record,
      [DOMESTIC_ABUSE_NOTIFICATION.type, ...REFERRAL_TYPES],
      'submissions',
    );
    if (!accepted) return;
    const { verified, digest, claimed } = accepted;
    const { claims } = verified;

    // A copy of a message already processed (an outbox re-publish, a redelivery) is a duplicate:
    // nothing happens again. Another body under a processed id is a replay and is refused.
    const seenDigest = await processedDigest(this.dataSource.manager, claims.jti);
    if (seenDigest !== undefined) {
      if (seenDigest === digest) {
        this.logger.log(`duplicate of processed message ${claims.jti} ignored`);
        return;
      }
      return this.refusals.refuse(
        { ...record, ...claimed, sourceTopic: record.topic, signatureVerified: true },
        new ExchangeError(ExchangeErrorCode.REPLAYED, 'message id was already used'),
      );
    }
    try {
      await this.verifier.admit(verified);
    } catch (error) {
      // Seen but not processed: an earlier attempt of this hub stopped in between. Carry on;
      // the processed_message insert below decides who wins.
      if (!isExchangeError(error, ExchangeErrorCode.REPLAYED)) throw error;
    }
    if (claims.type === REFERRAL.type) {
      const referral = verified as unknown as VerifiedEnvelope<Referral>;
      return this.referrals.execute({ record, verified: referral, digest });
    }
    if (claims.type === REFERRAL_OUTCOME.type) {
      const outcome = verified as unknown as VerifiedEnvelope<ReferralOutcome>;
      return this.referralOutcomes.execute({ record, verified: outcome, digest });
    }

    const notification = verified.body;
    const mailbox = await this.route(notification);
    const refuseRouting = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(
        {
          ...record,
          ...claimed,
          sourceTopic: record.topic,
          signatureVerified: true,
          recipient: notification.child.educatedAtHome
            ? 'educated-at-home'
            : notification.child.schoolUrn,
        },
        new ExchangeError(code, reason),
      );
    if (!mailbox) {
      return refuseRouting(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        notification.child.educatedAtHome
          ? 'the area has no local authority education mailbox'
          : 'no school with this URN is in the registry',
      );
    }
    if (mailbox.node?.status !== 'active') {
      return refuseRouting(
        ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
        "the school's node is not active",
      );
    }

    const senderNode = await this.registry.findNode(claims.iss);
    const senderAgency = senderNode?.agencyId;
    const recipientAgency = mailbox.node?.agencyId;
    // Kinds come from the registry, never from the message: a node cannot claim to be police.
    const decision = this.policy.decide(
      sharingRequest(
        claims.type,
        notification,
        senderNode?.agency?.kind ?? 'other',
        mailbox.node?.agency?.kind ?? 'other',
      ),
    );
    const detail = decisionDetail(notification, decision);
    if (decision.effect === 'refuse') {
      return this.sharingRefusals.refuse({
        claims,
        payloadDigest: digest,
        decision,
        recipientMailboxId: mailbox.id,
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

    const dueAt = nextSchoolDayStart(this.clock.now(), calendarOf(this.env));
    const view = encompassView(notification, decision.fields, mailbox.id, dueAt);
    let sealed;
    try {
      sealed = await this.sender.sealFor(mailbox.nodeId, {
        definition: ENCOMPASS_VIEW,
        subjectRef: claims.sub,
        body: view,
        jti: randomUUID(),
      });
    } catch (error) {
      if (error instanceof NodeUnreachableError) {
        return refuseRouting(
          ExchangeErrorCode.RECIPIENT_NODE_INACTIVE,
          "the school's node has no current key",
        );
      }
      throw error;
    }
    // Which child at which incident: a digest, so the table holds no name or date of birth.
    const dedupe = createHash('sha256')
      .update(
        JSON.stringify([
          notification.policeReference,
          notification.child.name.trim().toLowerCase(),
          notification.child.dateOfBirth,
        ]),
      )
      .digest('base64url');
    // The same child and incident already reached this mailbox under another message id: the
    // sender is told so (signed rejection naming the original), or its status would stay
    // 'submitted' for ever. Sealed before the transaction; the insert below still decides races.
    const [original] = (await this.dataSource.query(
      'SELECT submission_id FROM delivery WHERE sender_node = $1 AND dedupe_digest = $2 AND mailbox_id = $3',
      [claims.iss, dedupe, mailbox.id],
    )) as { submission_id: string }[];
    if (original) {
      return this.refuseDuplicate(verified, digest, mailbox.id, original.submission_id, {
        ruleId: decision.ruleId,
        policyVersion: decision.policyVersion,
      });
    }

    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, digest, 'routed'))) {
          throw new AlreadyProcessed();
        }
        const audits = [
          {
            action: 'verified' as const,
            actor: HUB_NODE_ID,
            messageId: claims.jti,
            subjectRef: claims.sub,
            messageType: claims.type,
            senderNode: claims.iss,
            ...(senderAgency ? { senderAgency } : {}),
            payloadDigest: digest,
          },
        ];
        const inserted: unknown[] = await manager.query(
          `INSERT INTO delivery (id, submission_id, sender_node, subject_ref, message_type, dedupe_digest,
             mailbox_id, recipient_node, shared_under, rule_id, policy_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (sender_node, dedupe_digest, mailbox_id) DO NOTHING RETURNING id`,
          [
            sealed.jti,
            claims.jti,
            claims.iss,
            claims.sub,
            claims.type,
            dedupe,
            mailbox.id,
            mailbox.nodeId,
            sharedUnder(notification),
            decision.ruleId,
            decision.policyVersion,
          ],
        );
        if (inserted.length === 0) {
          // Another copy for the same child and incident won a race since the check above: roll
          // back and let the record be retried, which then finds the original and says so.
          throw new Error('a delivery for this child, incident and mailbox was just recorded');
        }
        await manager.query(
          'INSERT INTO deadline (delivery_id, mailbox_id, due_at) VALUES ($1, $2, $3)',
          [sealed.jti, mailbox.id, dueAt],
        );
        await this.outbox.add(manager, [sealed.record]);
        await this.outbox.audit(manager, [
          ...audits,
          {
            action: 'policy-decision',
            actor: HUB_NODE_ID,
            messageId: claims.jti,
            subjectRef: claims.sub,
            messageType: claims.type,
            senderNode: claims.iss,
            ...(senderAgency ? { senderAgency } : {}),
            recipientMailbox: mailbox.id,
            ...(recipientAgency ? { recipientAgency } : {}),
            ...policyAudit,
            detail,
          },
          {
            action: 'routed',
            actor: HUB_NODE_ID,
            messageId: sealed.jti,
            correlationId: claims.jti,
            subjectRef: claims.sub,
            messageType: ENCOMPASS_VIEW.type,
            senderNode: claims.iss,
            recipientMailbox: mailbox.id,
            ...(recipientAgency ? { recipientAgency } : {}),
            ...policyAudit,
            deadline: dueAt.toISOString(),
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

  private async refuseDuplicate(
    verified: VerifiedEnvelope<DomesticAbuseNotification>,
    digest: string,
    mailboxId: string,
    originalMessageId: string,
    policy: { ruleId: string; policyVersion: string },
  ): Promise<void> {
    const { claims } = verified;
    const { record: rejection } = await this.sender.sealFor<Rejection>(claims.iss, {
      definition: REJECTION,
      subjectRef: claims.sub,
      body: {
        messageId: claims.jti,
        code: ExchangeErrorCode.DUPLICATE_NOTIFICATION,
        reason: `this child and incident already reached the mailbox as message ${originalMessageId}`,
        originalMessageId,
      },
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, digest, 'rejected'))) {
          throw new AlreadyProcessed();
        }
        await this.outbox.add(manager, [rejection]);
        await this.outbox.audit(manager, [
          {
            action: 'policy-decision',
            actor: HUB_NODE_ID,
            messageId: claims.jti,
            correlationId: originalMessageId,
            subjectRef: claims.sub,
            recipientMailbox: mailboxId,
            decision: 'refuse',
            errorCode: ExchangeErrorCode.DUPLICATE_NOTIFICATION,
            ...policy,
            detail: 'already notified: this child and incident reached this mailbox before',
          },
        ]);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    this.outbox.wake();
  }

  private route(notification: DomesticAbuseNotification): Promise<MailboxEntity | null> {
    if (notification.child.educatedAtHome) {
      return this.registry.findMailboxByKind('local-authority-education');
    }
    return this.registry.findMailboxByExternalRef(
      'designated-safeguarding-lead',
      notification.child.schoolUrn!,
    );
  }
}
