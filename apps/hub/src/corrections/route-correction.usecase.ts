import { Injectable } from '@nestjs/common';
import {
  CORRECTION,
  CORRECTION_ROUTED,
  CORRECTION_VIEW,
  Correction,
  CorrectionRouted,
  CorrectionView,
  ExchangeErrorCode,
} from '@app/contracts';
import { AuditDraft, OutboxRecord, OutboxWriter } from '@app/messaging';
import { updateReturning } from '@app/persistence';
import { Clock } from '@app/platform';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';

import { HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { RefusalService } from '../exchange/refusal.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { SharingStatement } from '../policy/sharing-request';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { RecipientPlan, RouteOutcome } from '../routing/route-plan';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { SubmissionRouter } from '../routing/submission-router.service';
import { unknownRecipientNotices } from '../routing/unknown-recipient-notices';
import {
  CORRECTION_NOTICE_STATEMENT,
  CorrectableJourney,
  CorrectableJourneys,
} from './correctable-journeys.service';
import {
  correctionTargets,
  CorrectionTarget,
  currentHolders,
  HoldingEvent,
} from './correction-recipients';

interface Original {
  type: string;
  /** The referrer's mailbox for a referral: an escalation of a correction is filed there too. */
  senderMailbox: string | null;
  events: HoldingEvent[];
  lastKind: string | null;
  lastNumber: number;
}

/**
 * A verified `correction` of a message its sender sent. The original must be the sender's, about
 * the same subject, of a correctable type, delivered to someone and not withdrawn; otherwise the
 * sender gets a signed rejection (ORIGINAL_UNKNOWN, ORIGINAL_WITHDRAWN, CORRECTION_TYPE_MISMATCH,
 * SCHEMA_INVALID). Otherwise the correction goes to exactly the mailboxes that hold the original
 * now (the hub's delivery records, currentHolders) and, for an amendment that changes who it is
 * meant for (a changed school), to the new recipient as a notification of its own and to the old
 * one as a notice that it was not for them (correctionTargets). The policy decides each view as
 * it did the original's: a holder's `amended` view and a new recipient's notification under the
 * original's type with the corrected statement; a notice under correction-notice-always-travels.
 * Each delivery has an acknowledgement deadline as the original journey's, and supersedes the
 * open acknowledgement deadline of the mailbox's earlier message. The sender gets a signed
 * `correction-routed`; the trail a `corrected` event linking the correction to the original. One
 * transaction with the processed mark, so a redelivered correction changes nothing.
 */
@Injectable()
@RoutesSubmission(CORRECTION)
export class RouteCorrectionUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
    private readonly outbox: OutboxWriter,
    private readonly journeys: CorrectableJourneys,
    private readonly clock: Clock,
  ) {}

  async execute(submission: VerifiedSubmission<Correction>): Promise<void> {
    const { claims, body: correction } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));

    const original = await this.original(claims.iss, claims.sub, correction.originalMessageId);
    const journey = original && this.journeys.of(original.type);
    if (!original || !journey || original.events.length === 0) {
      return refuse(
        ExchangeErrorCode.ORIGINAL_UNKNOWN,
        'the exchange delivered no correctable message of this sender with this id and subject',
      );
    }
    if (original.lastKind === 'withdrawn') {
      return refuse(ExchangeErrorCode.ORIGINAL_WITHDRAWN, 'the original was already withdrawn');
    }
    if (correction.kind === 'amended') {
      if (correction.correctedType !== original.type) {
        return refuse(
          ExchangeErrorCode.CORRECTION_TYPE_MISMATCH,
          'correctedType is not the type of the original',
        );
      }
      const problem = journey.problem(correction.corrected!, correction.originalMessageId);
      if (problem) return refuse(ExchangeErrorCode.SCHEMA_INVALID, problem);
    }

    const meant =
      correction.kind === 'amended'
        ? await journey.meantFor(correction.corrected!)
        : { found: [], missing: [] };
    const targets = correctionTargets(
      correction.kind,
      currentHolders(original.events),
      meant.found.map((mailbox) => mailbox.id),
    );
    const mailboxes = new Map<string, MailboxEntity>(meant.found.map((m) => [m.id, m]));
    for (const target of targets) {
      if (!mailboxes.has(target.mailboxId)) {
        const mailbox = await this.registry.findMailbox(target.mailboxId);
        if (mailbox) mailboxes.set(mailbox.id, mailbox);
      }
    }
    const now = this.clock.now();
    const acknowledgeBy = journey.acknowledgeBy(now);
    const number = original.lastNumber + 1;
    const reachable = targets.filter((target) => mailboxes.has(target.mailboxId));
    const gone = targets.filter((target) => !mailboxes.has(target.mailboxId));

    const answer = await this.sealForSender(claims.iss, claims.sub, {
      messageId: claims.jti,
      originalMessageId: correction.originalMessageId,
      recipients: reachable.map((target) => ({
        mailboxId: target.mailboxId,
        role: target.role,
        acknowledgeBy: acknowledgeBy.toISOString(),
      })),
      routedAt: now.toISOString(),
    });
    const unknown = await unknownRecipientNotices(this.sender, submission, [
      ...meant.missing,
      ...gone.map((target) => ({
        recipient: target.mailboxId,
        reason: `mailbox ${target.mailboxId} is no longer in the registry`,
      })),
    ]);
    if (reachable.length === 0) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        'no mailbox that holds the original, or that the correction is meant for, is in the registry',
      );
    }

    await this.router.route({
      submission,
      statement: CORRECTION_NOTICE_STATEMENT,
      ...(original.senderMailbox ? { senderMailboxId: original.senderMailbox } : {}),
      detail: `correction ${number} of ${correction.originalMessageId}`,
      recipients: reachable.map((target) =>
        this.recipientPlan(
          target,
          mailboxes.get(target.mailboxId)!,
          submission,
          journey,
          original.type,
          number,
          acknowledgeBy,
        ),
      ),
      alsoWrite: (manager, outcome) =>
        this.record(manager, submission, {
          outcome,
          targets: reachable,
          number,
          now,
          records: [...(answer ? [answer] : []), ...unknown.records],
          audits: unknown.audits,
        }),
    });
  }

  private recipientPlan(
    target: CorrectionTarget,
    mailbox: MailboxEntity,
    submission: VerifiedSubmission<Correction>,
    journey: CorrectableJourney,
    originalType: string,
    number: number,
    acknowledgeBy: Date,
  ): RecipientPlan {
    const { claims, body: correction } = submission.verified;
    const corrected = correction.corrected;
    // A holder's amended view and a new recipient's notification carry the corrected message:
    // the policy cuts them as it cut the original's, on the corrected statement.
    const carriesMessage = target.viewKind === 'amended' || target.viewKind === 'notification';
    const plan: RecipientPlan = {
      mailbox,
      // One delivery per correction and mailbox; a later correction is a new message.
      dedupeKey: `correction:${claims.jti}`,
      detail: `${target.role}${target.originalMessageId ? ` of ${target.originalMessageId}` : ''}`,
      deadlines: [{ kind: 'acknowledgement', dueAt: acknowledgeBy }],
      ...(carriesMessage
        ? {
            policyType: originalType,
            statement: corrected as unknown as SharingStatement,
          }
        : {}),
      view: (fields) => {
        if (target.viewKind === 'notification') {
          return {
            definition: journey.view,
            body: journey.viewOf(corrected!, fields, mailbox.id, acknowledgeBy),
          };
        }
        const body: CorrectionView = {
          correctionId: claims.jti,
          originalMessageId: target.originalMessageId!,
          kind: target.viewKind,
          reason: correction.reason,
          correctedAt: correction.correctedAt,
          correctionNumber: number,
          recipientMailboxId: mailbox.id,
          acknowledgeBy: acknowledgeBy.toISOString(),
          ...(target.viewKind === 'amended'
            ? {
                correctedType: journey.view.type,
                corrected: journey.viewOf(corrected!, fields, mailbox.id, acknowledgeBy) as Record<
                  string,
                  unknown
                >,
              }
            : {}),
        };
        return { definition: CORRECTION_VIEW, body };
      },
    };
    return plan;
  }

  /** The hub's records of the correction, in the routing transaction. */
  private async record(
    manager: EntityManager,
    submission: VerifiedSubmission<Correction>,
    written: {
      outcome: RouteOutcome;
      targets: CorrectionTarget[];
      number: number;
      now: Date;
      records: OutboxRecord[];
      audits: AuditDraft[];
    },
  ): Promise<void> {
    const { claims, body: correction } = submission.verified;
    const { outcome, targets, number, now } = written;
    await manager.query(
      `INSERT INTO correction (correction_id, original_id, sender_node, kind, correction_number, routed_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [claims.jti, correction.originalMessageId, claims.iss, correction.kind, number, now],
    );
    const byMailbox = new Map(targets.map((target) => [target.mailboxId, target]));
    for (const share of outcome.delivered) {
      await manager.query(
        `INSERT INTO correction_delivery (delivery_id, correction_id, mailbox_id, role)
         VALUES ($1, $2, $3, $4)`,
        [share.deliveryId, claims.jti, share.mailbox.id, byMailbox.get(share.mailbox.id)!.role],
      );
    }
    // The mailbox's earlier message is replaced in its inbox by the correction: only the
    // correction's acknowledgement is due now.
    const replaced = outcome.delivered
      .map((share) => byMailbox.get(share.mailbox.id)?.originalMessageId)
      .filter((id): id is string => Boolean(id));
    const superseded =
      replaced.length === 0
        ? []
        : await updateReturning<{ delivery_id: string; mailbox_id: string; due_at: Date }>(
            manager,
            `UPDATE deadline SET state = 'superseded', closed_at = $2
              WHERE delivery_id = ANY($1) AND kind = 'acknowledgement' AND state = 'open'
              RETURNING delivery_id, mailbox_id, due_at`,
            [replaced, now],
          );
    const about = {
      actor: HUB_NODE_ID,
      subjectRef: claims.sub,
      senderNode: claims.iss,
    };
    const roles = (role: string) => targets.filter((target) => target.role === role).length;
    await this.outbox.add(manager, written.records);
    await this.outbox.audit(manager, [
      ...written.audits,
      {
        ...about,
        action: 'corrected',
        messageId: claims.jti,
        correlationId: correction.originalMessageId,
        messageType: CORRECTION.type,
        detail:
          `correction ${number} (${correction.kind}): ${roles('recipient')} holder(s), ` +
          `${roles('new-recipient')} new recipient(s), ${roles('not-for-recipient')} told not for them; ` +
          `${outcome.delivered.length} delivered, ${outcome.refused.length} refused, ` +
          `${outcome.unreachable.length} unreachable`,
      },
      ...superseded.map((row) => ({
        ...about,
        action: 'superseded' as const,
        messageId: row.delivery_id,
        correlationId: claims.jti,
        messageType: CORRECTION.type,
        recipientMailbox: row.mailbox_id,
        deadline: new Date(row.due_at).toISOString(),
        detail: `acknowledgement deadline superseded by correction ${number}`,
      })),
    ]);
  }

  /** The original as the hub delivered it: its type and every delivery and correction of it. */
  private async original(
    senderNode: string,
    subjectRef: string,
    originalId: string,
  ): Promise<Original | undefined> {
    const deliveries = (await this.dataSource.query(
      `SELECT id, mailbox_id, message_type, sender_mailbox FROM delivery
        WHERE sender_node = $1 AND subject_ref = $2 AND submission_id = $3
        ORDER BY created_at, id`,
      [senderNode, subjectRef, originalId],
    )) as { id: string; mailbox_id: string; message_type: string; sender_mailbox: string | null }[];
    if (deliveries.length === 0) return undefined;
    const corrections = (await this.dataSource.query(
      `SELECT c.kind, c.correction_number, cd.delivery_id, cd.mailbox_id, cd.role
         FROM correction c LEFT JOIN correction_delivery cd USING (correction_id)
        WHERE c.sender_node = $1 AND c.original_id = $2
        ORDER BY c.correction_number, cd.delivery_id`,
      [senderNode, originalId],
    )) as {
      kind: string;
      correction_number: number;
      delivery_id: string | null;
      mailbox_id: string | null;
      role: HoldingEvent['role'] | null;
    }[];
    const last = corrections[corrections.length - 1];
    return {
      type: deliveries[0].message_type,
      senderMailbox: deliveries[0].sender_mailbox,
      events: [
        ...deliveries.map((row) => ({
          mailboxId: row.mailbox_id,
          deliveryId: row.id,
          role: 'original' as const,
        })),
        ...corrections
          .filter((row) => row.delivery_id && row.mailbox_id && row.role)
          .map((row) => ({
            mailboxId: row.mailbox_id!,
            deliveryId: row.delivery_id!,
            role: row.role!,
          })),
      ],
      lastKind: last?.kind ?? null,
      lastNumber: last?.correction_number ?? 0,
    };
  }

  /** The signed answer to the sender; none when its node has no key (the trail still says why). */
  private async sealForSender(
    senderNode: string,
    subjectRef: string,
    body: CorrectionRouted,
  ): Promise<OutboxRecord | undefined> {
    try {
      return (
        await this.sender.sealFor<CorrectionRouted>(senderNode, {
          definition: CORRECTION_ROUTED,
          subjectRef,
          body,
        })
      ).record;
    } catch (error) {
      if (!(error instanceof NodeUnreachableError)) throw error;
      return undefined;
    }
  }
}
