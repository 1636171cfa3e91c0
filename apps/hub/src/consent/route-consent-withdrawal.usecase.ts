import { Injectable, Logger } from '@nestjs/common';
import {
  CONSENT_WITHDRAWAL_ROUTED,
  CONSENT_WITHDRAWN,
  CONSENT_WITHDRAWN_VIEW,
  ConsentWithdrawalRouted,
  ConsentWithdrawn,
  ConsentWithdrawnView,
  EnvelopeClaims,
  ExchangeErrorCode,
  REJECTION,
  Rejection,
} from '@app/contracts';
import { AuditDraft, OutboxRecord, OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { minimise } from '@app/policy';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { HubMessage, HubSender, NodeUnreachableError } from '../exchange/hub-sender.service';
import { AlreadyProcessed, markProcessed } from '../exchange/processed-messages';
import { RefusalService } from '../exchange/refusal.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { SharingStatement } from '../policy/sharing-request';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { SubmissionRouter } from '../routing/submission-router.service';
import { ConsentShare, consentSharesOf } from './consent-shares';
import { ConsentWithdrawalDeadline } from './consent-withdrawal-deadline.service';

/**
 * What the policy is asked for a withdrawal. Rule consent-withdrawal-always-travels decides on
 * the message type alone; the codes are the withdrawal's own: consent `withdrawn` (so its
 * deliveries are recorded as not resting on consent, and a later withdrawal never re-targets
 * them), UK GDPR public task, the family told (the withdrawal is theirs), no risk assessment.
 */
export const WITHDRAWAL_STATEMENT: SharingStatement = {
  consent: { position: 'withdrawn' },
  lawfulBasis: 'ukgdpr-6-1-e-9-2-g',
  familyInformed: true,
  riskLevel: 'standard',
};

/**
 * A verified `consent-withdrawn`: every mailbox that received the subject's data from the sender
 * under consent (the hub's delivery records, consentSharesOf) is sent a signed, encrypted
 * `consent-withdrawn-view` naming its own messages that rested on that consent, with an
 * acknowledgement deadline (ConsentWithdrawalDeadline) escalated like any other; each delivery is
 * audited as `consent-withdrawn`. Mailboxes told under a justification only are not told. The
 * sender gets a signed `consent-withdrawal-routed`: the mailboxes told, or `nobody-to-tell`. All
 * in one transaction with the processed mark, so a redelivered withdrawal has no second effect.
 */
@Injectable()
@RoutesSubmission(CONSENT_WITHDRAWN)
export class RouteConsentWithdrawalUseCase implements SubmissionRoute {
  private readonly logger = new Logger(RouteConsentWithdrawalUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly router: SubmissionRouter,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly deadline: ConsentWithdrawalDeadline,
    private readonly refusals: RefusalService,
  ) {}

  async execute(submission: VerifiedSubmission<ConsentWithdrawn>): Promise<void> {
    const { claims, body: withdrawal } = submission.verified;
    if (
      withdrawal.senderMailboxId &&
      !(await this.dataSource
        .getRepository(MailboxEntity)
        .exists({ where: { id: withdrawal.senderMailboxId, nodeId: claims.iss } }))
    ) {
      return this.refusals.refuse(
        ...refusedSubmission(
          submission,
          ExchangeErrorCode.RECIPIENT_UNKNOWN,
          'senderMailboxId is not a mailbox of the sending node',
        ),
      );
    }
    const shares = await consentSharesOf(this.dataSource.manager, claims.iss, claims.sub);
    const now = this.clock.now();
    const acknowledgeBy = this.deadline.acknowledgeBy(now);
    const found = await Promise.all(
      shares.map(async (share) => ({
        share,
        mailbox: await this.registry.findMailbox(share.mailboxId),
      })),
    );
    const reachable = found.filter(
      (entry): entry is { share: ConsentShare; mailbox: MailboxEntity } => entry.mailbox !== null,
    );
    const gone = found
      .filter((entry) => entry.mailbox === null)
      .map((entry) => entry.share.mailboxId);

    // Sealed before any transaction: whom the sender is told the hub tells.
    const answer = await this.sealForSender<ConsentWithdrawalRouted>(claims, {
      definition: CONSENT_WITHDRAWAL_ROUTED,
      subjectRef: claims.sub,
      body: {
        messageId: claims.jti,
        outcome: shares.length > 0 ? 'told' : 'nobody-to-tell',
        recipients: shares.map((share) => ({
          mailboxId: share.mailboxId,
          acknowledgeBy: acknowledgeBy.toISOString(),
        })),
        routedAt: now.toISOString(),
      },
    });
    // A mailbox that has left the registry since cannot be told: the sender learns which.
    const goneNotices = await Promise.all(
      gone.map((mailboxId) =>
        this.sealForSender<Rejection>(claims, {
          definition: REJECTION,
          subjectRef: claims.sub,
          body: {
            messageId: claims.jti,
            code: ExchangeErrorCode.RECIPIENT_UNKNOWN,
            reason: `mailbox ${mailboxId} is no longer in the registry`,
            recipient: mailboxId,
          },
        }),
      ),
    );
    const records = [answer, ...goneNotices].filter(
      (record): record is OutboxRecord => record !== undefined,
    );
    const goneAudits: AuditDraft[] = gone.map((mailboxId) => ({
      action: 'rejected',
      actor: HUB_NODE_ID,
      messageId: claims.jti,
      subjectRef: claims.sub,
      messageType: claims.type,
      senderNode: claims.iss,
      recipientMailbox: mailboxId,
      errorCode: ExchangeErrorCode.RECIPIENT_UNKNOWN,
      detail: 'consent withdrawal: the mailbox is no longer in the registry',
    }));

    if (reachable.length === 0) {
      return this.answerOnly(submission, records, goneAudits, shares.length === 0);
    }
    await this.router.route({
      submission,
      statement: WITHDRAWAL_STATEMENT,
      // An escalation of a mailbox that does not acknowledge is filed in the sender's mailbox too.
      ...(withdrawal.senderMailboxId ? { senderMailboxId: withdrawal.senderMailboxId } : {}),
      recipients: reachable.map(({ share, mailbox }) => ({
        mailbox,
        // One view per withdrawal and mailbox; another withdrawal (a new message) is told again.
        dedupeKey: `consent-withdrawn:${claims.jti}`,
        auditAction: 'consent-withdrawn',
        detail: `${share.deliveryIds.length} earlier message(s) shared under consent`,
        deadlines: [{ kind: 'acknowledgement', dueAt: acknowledgeBy }],
        view: (fields) => ({
          definition: CONSENT_WITHDRAWN_VIEW,
          body: {
            ...(minimise(withdrawal as unknown as Record<string, unknown>, fields) as object),
            recipientMailboxId: mailbox.id,
            acknowledgeBy: acknowledgeBy.toISOString(),
            sharedMessageIds: share.deliveryIds,
          } as ConsentWithdrawnView,
        }),
      })),
      alsoWrite: async (manager) => {
        await this.outbox.add(manager, records);
        if (goneAudits.length > 0) await this.outbox.audit(manager, goneAudits);
      },
    });
  }

  /** Nobody to deliver to: the sender's answer and the audit, with the processed mark. */
  private async answerOnly(
    submission: VerifiedSubmission<ConsentWithdrawn>,
    records: OutboxRecord[],
    audits: AuditDraft[],
    nobodyToTell: boolean,
  ): Promise<void> {
    const { claims } = submission.verified;
    const senderAgency = (await this.registry.findNode(claims.iss))?.agencyId;
    const about = {
      actor: HUB_NODE_ID,
      messageId: claims.jti,
      subjectRef: claims.sub,
      messageType: claims.type,
      senderNode: claims.iss,
      ...(senderAgency ? { senderAgency } : {}),
    };
    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, submission.digest, 'routed'))) {
          throw new AlreadyProcessed();
        }
        await this.outbox.add(manager, records);
        await this.outbox.audit(manager, [
          { ...about, action: 'verified', payloadDigest: submission.digest },
          ...audits,
          {
            ...about,
            action: 'consent-withdrawn',
            detail: nobodyToTell
              ? `nobody to tell: no mailbox received this subject's data from ${claims.iss} under consent`
              : 'nobody reachable: every mailbox told under consent has left the registry',
          },
        ]);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    if (records.length > 0) this.outbox.wake();
  }

  /** A signed notice to the sender; none when its node has no key (the trail still says why). */
  private async sealForSender<B extends object>(
    claims: EnvelopeClaims,
    message: HubMessage<B>,
  ): Promise<OutboxRecord | undefined> {
    try {
      return (await this.sender.sealFor<B>(claims.iss, message)).record;
    } catch (error) {
      if (!(error instanceof NodeUnreachableError)) throw error;
      this.logger.warn(`no answer sent to ${claims.iss}: ${error.message}`);
      return undefined;
    }
  }
}
