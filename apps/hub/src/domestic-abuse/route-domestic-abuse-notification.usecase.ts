import { Injectable } from '@nestjs/common';
import {
  DomesticAbuseNotification,
  ENCOMPASS_VIEW,
  ExchangeErrorCode,
  REJECTION,
  Rejection,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { nextSchoolDayStart, SchoolDayCalendar } from '@app/calendar';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HubEnv } from '../config/hub.env';
import { HubSender } from '../exchange/hub-sender.service';
import { AlreadyProcessed, markProcessed } from '../exchange/processed-messages';
import { encompassView } from '../exchange/recipient-view';
import { RefusalService } from '../exchange/refusal.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { SubmissionRouter } from '../routing/submission-router.service';

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
 * A verified domestic abuse notification (Operation Encompass): routed to the child's school by
 * URN, or the local authority's education mailbox for a child educated at home, under the sharing
 * policy, with an acknowledgement deadline at the start of the next school day. An unknown or
 * suspended school is refused with a signed rejection; the same child and incident reaching the
 * same mailbox again is answered with a signed DUPLICATE_NOTIFICATION naming the first.
 */
@Injectable()
export class RouteDomesticAbuseNotificationUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly env: HubEnv,
  ) {}

  async execute(submission: VerifiedSubmission<DomesticAbuseNotification>): Promise<void> {
    const { verified, digest } = submission;
    const notification = verified.body;
    const mailbox = await this.route(notification);
    const refuseRouting = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(
        ...refusedSubmission(
          submission,
          code,
          reason,
          notification.child.educatedAtHome ? 'educated-at-home' : notification.child.schoolUrn,
        ),
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

    const dueAt = nextSchoolDayStart(this.clock.now(), calendarOf(this.env));
    const routed = await this.router.route({
      submission,
      statement: notification,
      recipients: [
        {
          mailbox,
          // Which child at which incident: digested, so the table holds no name or date of birth.
          dedupeKey: JSON.stringify([
            notification.policeReference,
            notification.child.name.trim().toLowerCase(),
            notification.child.dateOfBirth,
          ]),
          view: (fields) => ({
            definition: ENCOMPASS_VIEW,
            body: encompassView(notification, fields, mailbox.id, dueAt),
          }),
          deadlines: [{ kind: 'acknowledgement', dueAt }],
        },
      ],
    });
    const [duplicate] = routed.alreadyDelivered;
    if (duplicate && routed.delivered.length === 0) {
      // The same child and incident already reached this mailbox under another message id: the
      // sender is told so (signed rejection naming the original), or its status would stay
      // 'submitted' for ever.
      await this.refuseDuplicate(verified, digest, mailbox.id, duplicate.submissionId);
    }
  }

  private async refuseDuplicate(
    verified: VerifiedEnvelope<DomesticAbuseNotification>,
    digest: string,
    mailboxId: string,
    originalMessageId: string,
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
