import { Injectable } from '@nestjs/common';
import {
  DOMESTIC_ABUSE_NOTIFICATION,
  DOMESTIC_ABUSE_NOTIFICATION_ROUTED,
  DomesticAbuseNotification,
  DomesticAbuseNotificationRouted,
  ENCOMPASS_VIEW,
  ExchangeErrorCode,
  REJECTION,
  Rejection,
} from '@app/contracts';
import { AuditDraft, OutboxRecord, OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { nextSchoolDayStart, SchoolDayCalendar } from '@app/calendar';
import { MailboxEntity } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';

import { HubEnv } from '../config/hub.env';
import { HubMessage, HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { AlreadyProcessed, markProcessed } from '../exchange/processed-messages';
import { encompassView } from '../exchange/recipient-view';
import { RefusalService } from '../exchange/refusal.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import {
  ChildRecipient,
  ChildRecipients,
  MissingRecipient,
} from '../routing/child-recipients.service';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { dedupeDigest, SubmissionRouter } from '../routing/submission-router.service';
import { unknownRecipientNotices } from '../routing/unknown-recipient-notices';

/** The area calendar of the hub's configuration. */
export function calendarOf(env: HubEnv): SchoolDayCalendar {
  return {
    dayStart: env.DEADLINE_SCHOOL_DAY_START,
    timeZone: env.DEADLINE_TIME_ZONE,
    skipWeekends: env.DEADLINE_SKIP_WEEKENDS === 'true',
    nonSchoolDays: env.DEADLINE_NON_SCHOOL_DAYS.split(',').filter(Boolean),
  };
}

/** What the sender is told besides what the router sends, sealed before any transaction. */
interface SenderAnswers {
  /** Whom the notification is routed to, in which role; none when the sender has no key. */
  routed?: OutboxRecord;
  unknown: { records: OutboxRecord[]; audits: AuditDraft[] };
  /** Per mailbox that already had this child and incident: the signed DUPLICATE_NOTIFICATION. */
  duplicates: Map<string, { record?: OutboxRecord; audit: AuditDraft }>;
}

/**
 * A verified domestic abuse notification: one child at one incident. Routed, under the sharing
 * policy per recipient, to the child's school by URN (the local authority's education mailbox
 * for a child educated at home), health (health visiting under five on the incident date,
 * school nursing from five) and the area's MASH (ChildRecipients), each with the view its rule
 * allows (a school the Operation Encompass set only) and an acknowledgement deadline at the start
 * of the next school day. A recipient the area lacks, a suspended node or a policy refusal stops
 * only that recipient: the sender gets a signed rejection or sharing-refused naming it and the
 * others are still delivered, so the MASH learns of the incident even when the school is
 * unknown. The same child and incident reaching a mailbox again is not delivered there; the
 * sender gets a signed DUPLICATE_NOTIFICATION naming that mailbox and the first message. The
 * sender also gets a signed `domestic-abuse-notification-routed` naming each recipient's role,
 * so its status can tell the school (the police's Operation Encompass duty) from the others.
 */
@Injectable()
@RoutesSubmission(DOMESTIC_ABUSE_NOTIFICATION)
export class RouteDomesticAbuseNotificationUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
    private readonly childRecipients: ChildRecipients,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly env: HubEnv,
  ) {}

  async execute(submission: VerifiedSubmission<DomesticAbuseNotification>): Promise<void> {
    const { claims, body: notification } = submission.verified;
    const { found, missing } = await this.childRecipients.find(
      notification.child,
      new Date(notification.occurredAt),
    );
    if (found.length === 0) {
      return this.refusals.refuse(
        ...refusedSubmission(
          submission,
          ExchangeErrorCode.RECIPIENT_UNKNOWN,
          `the area has none of this notification's recipients: ${missing.map((m) => m.recipient).join(', ')}`,
        ),
      );
    }
    const now = this.clock.now();
    const acknowledgeBy = nextSchoolDayStart(now, calendarOf(this.env));
    // Which child at which incident: digested by the router, so no table holds a name or date
    // of birth. The same key for every recipient: a duplicate is decided per mailbox.
    const dedupeKey = JSON.stringify([
      notification.policeReference,
      notification.child.name.trim().toLowerCase(),
      notification.child.dateOfBirth,
    ]);
    const earlier = await this.earlierDeliveries(claims.iss, dedupeKey, found);
    const answers = await this.answersFor(submission, found, missing, earlier, acknowledgeBy, now);

    const outcome = await this.router.route({
      submission,
      statement: notification,
      recipients: found.map(({ mailbox }) => ({
        mailbox,
        dedupeKey,
        view: (fields) => ({
          definition: ENCOMPASS_VIEW,
          body: encompassView(notification, fields, mailbox.id, acknowledgeBy),
        }),
        deadlines: [{ kind: 'acknowledgement', dueAt: acknowledgeBy }],
      })),
      alsoWrite: (manager, routed) =>
        this.writeAnswers(
          manager,
          answers,
          routed.alreadyDelivered.map(({ mailbox }) => mailbox),
        ),
    });
    const nothingWritten =
      outcome.delivered.length + outcome.refused.length + outcome.unreachable.length === 0;
    if (nothingWritten && !outcome.alreadyProcessed) {
      // Every recipient the area has already had this child and incident: the router wrote
      // nothing, so the submission is recorded here with what the sender is told.
      await this.answerOnly(
        submission,
        answers,
        outcome.alreadyDelivered.map(({ mailbox }) => mailbox),
      );
    }
  }

  /** The sender's earlier messages that already reached these mailboxes with this child and incident. */
  private async earlierDeliveries(
    senderNode: string,
    dedupeKey: string,
    recipients: ChildRecipient[],
  ): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(
      `SELECT mailbox_id, submission_id FROM delivery
        WHERE sender_node = $1 AND dedupe_digest = $2 AND mailbox_id = ANY($3)`,
      [senderNode, dedupeDigest(dedupeKey), recipients.map(({ mailbox }) => mailbox.id)],
    )) as { mailbox_id: string; submission_id: string }[];
    return new Map(rows.map((row) => [row.mailbox_id, row.submission_id]));
  }

  private async answersFor(
    submission: VerifiedSubmission<DomesticAbuseNotification>,
    found: ChildRecipient[],
    missing: MissingRecipient[],
    earlier: Map<string, string>,
    acknowledgeBy: Date,
    now: Date,
  ): Promise<SenderAnswers> {
    const { claims } = submission.verified;
    const { digest } = submission;
    const routed = await this.sealForSender<DomesticAbuseNotificationRouted>(submission, {
      definition: DOMESTIC_ABUSE_NOTIFICATION_ROUTED,
      subjectRef: claims.sub,
      body: {
        messageId: claims.jti,
        recipients: [
          ...found.map(({ role, mailbox }) => ({
            role,
            recipient: mailbox.id,
            // A mailbox that already had the notification acknowledges the first one.
            ...(earlier.has(mailbox.id) ? {} : { acknowledgeBy: acknowledgeBy.toISOString() }),
          })),
          ...missing.map(({ role, recipient }) => ({ role, recipient })),
        ],
        routedAt: now.toISOString(),
      },
    });
    const duplicates: SenderAnswers['duplicates'] = new Map();
    for (const [mailboxId, originalMessageId] of earlier) {
      const record = await this.sealForSender<Rejection>(submission, {
        definition: REJECTION,
        subjectRef: claims.sub,
        body: {
          messageId: claims.jti,
          code: ExchangeErrorCode.DUPLICATE_NOTIFICATION,
          reason: `this child and incident already reached mailbox ${mailboxId} as message ${originalMessageId}`,
          recipient: mailboxId,
          originalMessageId,
        },
      });
      duplicates.set(mailboxId, {
        record,
        audit: {
          action: 'rejected',
          actor: HUB_NODE_ID,
          messageId: claims.jti,
          correlationId: originalMessageId,
          subjectRef: claims.sub,
          messageType: claims.type,
          senderNode: claims.iss,
          recipientMailbox: mailboxId,
          errorCode: ExchangeErrorCode.DUPLICATE_NOTIFICATION,
          payloadDigest: digest,
          detail: 'already notified: this child and incident reached this mailbox before',
        },
      });
    }
    return {
      routed,
      unknown: await unknownRecipientNotices(this.sender, submission, missing),
      duplicates,
    };
  }

  /** The sender's answers, in the routing transaction (or answerOnly's). */
  private async writeAnswers(
    manager: EntityManager,
    answers: SenderAnswers,
    alreadyDelivered: MailboxEntity[],
  ): Promise<void> {
    const duplicates = alreadyDelivered.map((mailbox) => {
      const duplicate = answers.duplicates.get(mailbox.id);
      if (!duplicate) {
        // Another message reached this mailbox with this child and incident since the check:
        // roll back and let the record be retried, which then names that message.
        throw new Error(`a delivery with this dedupe key to ${mailbox.id} was just recorded`);
      }
      return duplicate;
    });
    const records = [
      ...(answers.routed ? [answers.routed] : []),
      ...answers.unknown.records,
      ...duplicates.flatMap(({ record }) => (record ? [record] : [])),
    ];
    await this.outbox.add(manager, records);
    await this.outbox.audit(manager, [
      ...answers.unknown.audits,
      ...duplicates.map(({ audit }) => audit),
    ]);
  }

  /** Nothing to deliver: the processed mark and the sender's answers, once per message. */
  private async answerOnly(
    submission: VerifiedSubmission<DomesticAbuseNotification>,
    answers: SenderAnswers,
    alreadyDelivered: MailboxEntity[],
  ): Promise<void> {
    const { claims } = submission.verified;
    try {
      await this.dataSource.transaction(async (manager) => {
        if (
          !(await markProcessed(manager, claims.jti, claims.iss, submission.digest, 'rejected'))
        ) {
          throw new AlreadyProcessed();
        }
        await this.writeAnswers(manager, answers, alreadyDelivered);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    this.outbox.wake();
  }

  /** A signed notice to the sender; none when its node has no key (the trail still says why). */
  private async sealForSender<B extends object>(
    submission: VerifiedSubmission<object>,
    message: HubMessage<B>,
  ): Promise<OutboxRecord | undefined> {
    try {
      return (await this.sender.sealFor<B>(submission.verified.claims.iss, message)).record;
    } catch (error) {
      if (!(error instanceof NodeUnreachableError)) throw error;
      return undefined;
    }
  }
}
