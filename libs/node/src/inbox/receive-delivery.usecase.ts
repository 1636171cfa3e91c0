import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  assertRecordMatchesEnvelope,
  CONSENT_WITHDRAWN_VIEW,
  CORRECTION_VIEW,
  ENCOMPASS_VIEW,
  ExchangeErrorCode,
  exchangeMessageTypes,
  isCopyRefusal,
  isExchangeError,
  MARAC_ACTION_UPDATE_VIEW,
  MARAC_ACTION_VIEW,
  MARAC_ESCALATION_VIEW,
  MARAC_INFORMATION_REQUEST_VIEW,
  MARAC_INFORMATION_RESPONSE_VIEW,
  MARAC_REFERRAL_DECISION_VIEW,
  MARAC_REFERRAL_VIEW,
  MISSING_EPISODE_VIEW,
  RECEIPT,
  Receipt,
  REFERRAL_VIEW,
  REJECTION,
  Rejection,
  Topics,
} from '@app/contracts';
import { payloadDigest, verifyEnvelope, VerifiedEnvelope } from '@app/crypto';
import { InvalidRecordError, OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { HUB_NODE_ID } from '../config/node-service.env';
import { ConsentWithdrawalDeliveries } from '../consent/consent-withdrawal-deliveries.service';
import { CorrectionDeliveries } from '../corrections/correction-deliveries.service';
import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { HubKeySet } from '../keys/hub-key-set.service';
import { NodeKeys } from '../keys/node-keys.service';
import { NodeSender } from '../outgoing/node-sender.service';
import { MaracDeliveries } from '../marac/marac-deliveries.service';
import { MissingEpisodeDeliveries } from '../missing-episodes/missing-episode-deliveries.service';
import { RefusedCopies } from '../recipients/refused-copies.service';
import { ReferralDeliveries } from '../referrals/referral-deliveries.service';
import { MailboxWebhookOutbox } from '../webhook/mailbox-webhook-outbox.service';
import { NODE_DELIVERY_HANDLER, NodeDeliveryHandler } from './delivery-handler';
import { InboxService } from './inbox.service';
import { inboxThreadOf } from './inbox-thread';

export interface DeliveredRecord {
  key: Buffer | string | null;
  headers: Record<string, Buffer | string | undefined>;
  value: unknown;
  topic: string;
  partition: number;
  offset: string;
  messageId: string;
}

const MESSAGE_TYPES = exchangeMessageTypes();

/** Views a person in a mailbox reads and acknowledges: each gets a signed `delivered` receipt. */
const MAILBOX_NOTIFICATIONS: readonly string[] = [
  ENCOMPASS_VIEW.type,
  REFERRAL_VIEW.type,
  MISSING_EPISODE_VIEW.type,
  MARAC_REFERRAL_VIEW.type,
  // The referrer's receipt tells the MARAC its decision reached the referrer.
  MARAC_REFERRAL_DECISION_VIEW.type,
  MARAC_INFORMATION_REQUEST_VIEW.type,
  MARAC_INFORMATION_RESPONSE_VIEW.type,
  MARAC_ACTION_VIEW.type,
  MARAC_ACTION_UPDATE_VIEW.type,
  MARAC_ESCALATION_VIEW.type,
  CONSENT_WITHDRAWN_VIEW.type,
  CORRECTION_VIEW.type,
];

/** When the mailbox must act by: acknowledgement for notifications, the due time of MARAC work. */
function dueOf(type: string, view: { acknowledgeBy?: string; dueAt?: string }): string | undefined {
  if (type === MARAC_INFORMATION_REQUEST_VIEW.type || type === MARAC_ACTION_VIEW.type) {
    return view.dueAt;
  }
  return view.acknowledgeBy;
}

/**
 * A record on this node's delivery topic: decrypt with the node's key, verify the hub's
 * signature (keys from the hub's JWKS), store once, and for a mailbox notification send a
 * signed `delivered` receipt, all in one transaction with the outbox. A record that can never
 * be opened or verified is dead-lettered with its code; a missing key or database is retried.
 */
@Injectable()
export class ReceiveDeliveryUseCase {
  private readonly messageTypes = MESSAGE_TYPES;

  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: InboxService,
    private readonly keys: NodeKeys,
    private readonly hubKeys: HubKeySet,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly webhook: MailboxWebhookOutbox,
    private readonly clock: Clock,
    private readonly referrals: ReferralDeliveries,
    private readonly marac: MaracDeliveries,
    private readonly missingEpisodes: MissingEpisodeDeliveries,
    private readonly consentWithdrawals: ConsentWithdrawalDeliveries,
    private readonly corrections: CorrectionDeliveries,
    private readonly refusedCopies: RefusedCopies,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
    @Optional() @Inject(NODE_DELIVERY_HANDLER) private readonly handler?: NodeDeliveryHandler,
  ) {}

  async execute(record: DeliveredRecord): Promise<void> {
    // A redelivery is recognised before any crypto: the id is the primary key of the inbox.
    if (await this.inbox.exists(record.messageId)) return;
    const body = record.value;
    if (typeof body !== 'string' || body.split('.').length !== 5) {
      throw new InvalidRecordError(
        ['a delivery body must be a compact JWE'],
        ExchangeErrorCode.MALFORMED,
      );
    }
    let verified: VerifiedEnvelope;
    try {
      const jws = await this.keys.decrypt(body);
      verified = await verifyEnvelope(jws, {
        resolveKey: (kid) => this.hubKeys.resolve(kid),
        messageTypes: this.messageTypes,
      });
      if (verified.claims.iss !== HUB_NODE_ID) {
        throw new InvalidRecordError(
          ['deliveries must be signed by the hub'],
          ExchangeErrorCode.KID_NODE_MISMATCH,
        );
      }
      assertRecordMatchesEnvelope(record, verified.claims);
    } catch (error) {
      if (isExchangeError(error)) {
        throw new InvalidRecordError([`${error.code}: ${error.message}`], error.code);
      }
      throw error;
    }
    const claims = verified.claims;
    const view = verified.body as {
      recipientMailboxId?: string;
      acknowledgeBy?: string;
      dueAt?: string;
    };
    const mailboxId = view.recipientMailboxId ?? null;
    const isNotification = MAILBOX_NOTIFICATIONS.includes(claims.type);
    const dueAt = dueOf(claims.type, view);
    const thread = mailboxId ? inboxThreadOf(claims.type, verified.body) : undefined;
    const now = this.clock.now();
    // A handler may seal inside the transaction below (the MARAC lists a case and sends its
    // requests): the keys are loaded now, so sealing there does no I/O.
    await this.sender.warm();
    // Signed before the transaction: signing is CPU work that must not hold a connection.
    const receipt =
      isNotification && mailboxId
        ? await this.sender.seal<Receipt>({
            definition: RECEIPT,
            jti: randomUUID(),
            subjectRef: claims.sub,
            body: { messageId: claims.jti, mailboxId, status: 'delivered', at: now.toISOString() },
          })
        : undefined;

    const stored = await this.dataSource.transaction(async (manager) => {
      const inserted = await this.inbox.storeOnce(
        {
          messageId: claims.jti,
          type: claims.type,
          source: claims.iss,
          subjectRef: claims.sub,
          body,
          kafkaTopic: record.topic,
          kafkaPartition: record.partition,
          kafkaOffset: record.offset,
          mailboxId,
          status: 'received',
          dueAt: dueAt ? new Date(dueAt) : null,
          threadKey: thread?.key ?? null,
          threadSequence: thread?.sequence ?? null,
        },
        manager,
      );
      if (!inserted) return false;
      if (thread && mailboxId) {
        if (thread.root) await this.inbox.openThread(manager, thread.root, mailboxId, thread.key);
        await this.inbox.placeInThread(manager, claims.jti, mailboxId, thread);
      }
      if (receipt) await this.sender.enqueue(manager, Topics.receipts, receipt);
      if (mailboxId) {
        await this.webhook.add(manager, {
          messageId: claims.jti,
          mailboxId,
          type: claims.type,
          receivedAt: now,
        });
      }
      await this.outbox.audit(manager, [
        {
          action: 'delivered',
          actor: this.identity.nodeId,
          messageId: claims.jti,
          subjectRef: claims.sub,
          messageType: claims.type,
          senderNode: claims.iss,
          ...(mailboxId ? { recipientMailbox: mailboxId } : {}),
          ...(dueAt ? { deadline: dueAt } : {}),
          payloadDigest: payloadDigest(body),
        },
      ]);
      if (claims.type === REJECTION.type && isCopyRefusal(verified.body as Rejection)) {
        // A copy of one of this node's messages was refused: recorded apart, and no journey
        // sees it, so the message's own state (acknowledged, say) stands.
        await this.refusedCopies.record(manager, claims.jti, verified.body as Rejection);
        return true;
      }
      await this.referrals.onDelivered(manager, verified);
      await this.marac.onDelivered(manager, verified);
      await this.missingEpisodes.onDelivered(manager, verified);
      await this.consentWithdrawals.onDelivered(manager, verified);
      await this.corrections.onDelivered(manager, verified);
      await this.handler?.onDelivered(manager, verified);
      return true;
    });
    if (stored) this.outbox.wake();
  }
}
