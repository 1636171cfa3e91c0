import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  BoundOutboxAttempts1764194000000,
  AUDIT_EVENT_SIGNER,
  AuditEventSigner,
  CreateOutbox1764160000000,
  OutboxEntity,
  OutboxModule,
} from '@app/messaging';
import { signAuditEvent } from '@app/crypto';
import { OWN_AGENCY } from '@app/platform';
import { ServicePersistence } from '@app/persistence';
import { RetentionModule, RetentionStore } from '@app/retention';

import { ChildChronologies } from './chronology/child-chronology.service';
import { MailboxChronologyController } from './chronology/mailbox-chronology.controller';
import { ConsentWithdrawalDeliveries } from './consent/consent-withdrawal-deliveries.service';
import { ConsentWithdrawalReads } from './consent/consent-withdrawal-reads.service';
import { ConsentWithdrawalsController } from './consent/consent-withdrawals.controller';
import { WithdrawConsentUseCase } from './consent/withdraw-consent.usecase';
import { CorrectMessageUseCase } from './corrections/correct-message.usecase';
import { CorrectionDeliveries } from './corrections/correction-deliveries.service';
import { CorrectionReads } from './corrections/correction-reads.service';
import { CorrectionsController } from './corrections/corrections.controller';
import { CreateNodeCorrections1764210000000 } from './migrations/1764210000000-create-node-corrections';
import { NodeAgency } from './identity/node-agency.service';
import { NODE_IDENTITY, NodeIdentity } from './identity/node-identity';
import { NodeInfoController } from './identity/node-info.controller';
import { NODE_DELIVERY_HANDLER, NodeDeliveryHandler } from './inbox/delivery-handler';
import { deliveryConsumerFor } from './inbox/delivery.consumer';
import { InboxMessageEntity } from './inbox/inbox-message.entity';
import { InboxService } from './inbox/inbox.service';
import { ReceiveDeliveryUseCase } from './inbox/receive-delivery.usecase';
import { HubKeySet } from './keys/hub-key-set.service';
import { NodeKeys } from './keys/node-keys.service';
import { AcknowledgeNotificationUseCase } from './mailbox/acknowledge-notification.usecase';
import { MailboxController } from './mailbox/mailbox.controller';
import { MailboxReads } from './mailbox/mailbox-reads.service';
import { MailboxThreads } from './mailbox/mailbox-threads.service';
import { CreateNodeInbox1764140000000 } from './migrations/1764140000000-create-node-inbox';
import { ExtendNodeInbox1764160100000 } from './migrations/1764160100000-extend-node-inbox';
import { CreateNodeReferrals1764180000000 } from './migrations/1764180000000-create-node-referrals';
import { ThreadNodeInbox1764190000000 } from './migrations/1764190000000-thread-node-inbox';
import { CreateNodeMissingEpisodes1764190100000 } from './migrations/1764190100000-create-node-missing-episodes';
import { MissingEpisodeDeliveries } from './missing-episodes/missing-episode-deliveries.service';
import { CreateNodeConsentWithdrawals1764190500000 } from './migrations/1764190500000-create-node-consent-withdrawals';
import { CreateNodeMarac1764191200000 } from './migrations/1764191200000-create-node-marac';
import { AddNodeMaracReferralDecision1764192000000 } from './migrations/1764192000000-add-node-marac-referral-decision';
import { CreateNodeRefusedCopy1764193000000 } from './migrations/1764193000000-create-node-refused-copy';
import { RefusedCopies } from './recipients/refused-copies.service';
import { MaracDeliveries } from './marac/marac-deliveries.service';
import { MaracMailboxController } from './marac/marac-mailbox.controller';
import { MaracReads } from './marac/marac-reads.service';
import { MaracReferralsController } from './marac/marac-referrals.controller';
import { RespondToMaracRequestUseCase } from './marac/respond-to-marac-request.usecase';
import { SubmitMaracReferralUseCase } from './marac/submit-marac-referral.usecase';
import { UpdateMaracActionUseCase } from './marac/update-marac-action.usecase';
import { NodeSender } from './outgoing/node-sender.service';
import { RecordOutcomeUseCase } from './referrals/record-outcome.usecase';
import { ReferralDeliveries } from './referrals/referral-deliveries.service';
import { AtRestSealer } from './keys/at-rest-sealer.service';
import { SealNodeFreeText1764194100000 } from './migrations/1764194100000-seal-node-free-text';
import { IndexMissingEpisodeNewestFirst1764201000000 } from './migrations/1764201000000-index-missing-episode-newest-first';
import { AddNodeInboxTombstones1764202000000 } from './migrations/1764202000000-add-node-inbox-tombstones';
import { AddReferralTombstones1764204000000 } from './migrations/1764204000000-add-referral-tombstones';
import { INBOX_RETENTION_STORES } from './retention/inbox-retention.stores';
import { KeepNodeDecisionAndChild1764203000000 } from './migrations/1764203000000-keep-node-decision-and-child';
import { ReceivedReferralReads } from './referrals/received-referral-reads.service';
import { ReferralOutcomeRetentionStore } from './retention/referral-outcome-retention.store';
import { ReferralReads } from './referrals/referral-reads.service';
import { ReferralsController } from './referrals/referrals.controller';
import { SubmitReferralUseCase } from './referrals/submit-referral.usecase';
import { CreateMailboxWebhook1764170000000 } from './migrations/1764170000000-create-mailbox-webhook';
import { MailboxWebhookOutbox } from './webhook/mailbox-webhook-outbox.service';
import { MailboxWebhookRelay } from './webhook/mailbox-webhook-relay.service';

/** Tables every node schema has; an adapter adds its own after these. */
export const NODE_TABLES: Omit<ServicePersistence, 'schema'> = {
  entities: [InboxMessageEntity, OutboxEntity],
  migrations: [
    CreateNodeInbox1764140000000,
    CreateOutbox1764160000000,
    BoundOutboxAttempts1764194000000,
    ExtendNodeInbox1764160100000,
    CreateNodeReferrals1764180000000,
    CreateMailboxWebhook1764170000000,
    ThreadNodeInbox1764190000000,
    CreateNodeMissingEpisodes1764190100000,
    CreateNodeConsentWithdrawals1764190500000,
    CreateNodeMarac1764191200000,
    AddNodeMaracReferralDecision1764192000000,
    CreateNodeRefusedCopy1764193000000,
    SealNodeFreeText1764194100000,
    IndexMissingEpisodeNewestFirst1764201000000,
    AddNodeInboxTombstones1764202000000,
    KeepNodeDecisionAndChild1764203000000,
    AddReferralTombstones1764204000000,
    CreateNodeCorrections1764210000000,
  ],
};

/**
 * What every adapter shares: its identity and keys, its delivery consumer and inbox, the mailbox
 * API, referrals, consent withdrawals, and signing into the outbox. An adapter app imports this once with its identity and adds
 * only what is specific to its agency (a delivery handler, its own API).
 */
@Module({})
export class NodeModule {
  static forRoot(
    identity: NodeIdentity,
    deliveryHandler?: Type<NodeDeliveryHandler>,
    handlerImports: DynamicModule['imports'] = [],
    retentionStores: Type<RetentionStore>[] = [],
  ): DynamicModule {
    const handler: Provider[] = deliveryHandler
      ? [deliveryHandler, { provide: NODE_DELIVERY_HANDLER, useExisting: deliveryHandler }]
      : [];
    return {
      module: NodeModule,
      global: true,
      // The adapter's feature modules, so its delivery handler can use their use cases (the
      // MARAC's handler lists cases and records research in the inbox's transaction).
      imports: [
        TypeOrmModule.forFeature([InboxMessageEntity]),
        OutboxModule,
        // The inbox every node has, and the stores the agency's own tables add (the MARAC's).
        RetentionModule.forStores({
          stores: [...INBOX_RETENTION_STORES, ReferralOutcomeRetentionStore, ...retentionStores],
          actor: identity.nodeId,
        }),
        ...(deliveryHandler ? handlerImports : []),
      ],
      controllers: [
        NodeInfoController,
        MailboxController,
        MailboxChronologyController,
        ReferralsController,
        ConsentWithdrawalsController,
        CorrectionsController,
        MaracReferralsController,
        MaracMailboxController,
        deliveryConsumerFor(identity.nodeId),
      ],
      providers: [
        { provide: NODE_IDENTITY, useValue: identity },
        NodeAgency,
        { provide: OWN_AGENCY, useExisting: NodeAgency },
        InboxService,
        RefusedCopies,
        NodeKeys,
        AtRestSealer,
        {
          // The audit events the outbox relay publishes are signed as this node.
          provide: AUDIT_EVENT_SIGNER,
          useFactory: (keys: NodeKeys): AuditEventSigner => ({
            sign: async (eventJson) => signAuditEvent(eventJson, (await keys.keyring()).signing),
          }),
          inject: [NodeKeys],
        },
        HubKeySet,
        NodeSender,
        ReceiveDeliveryUseCase,
        MailboxReads,
        MailboxThreads,
        ChildChronologies,
        AcknowledgeNotificationUseCase,
        SubmitReferralUseCase,
        ReferralReads,
        ReceivedReferralReads,
        RecordOutcomeUseCase,
        ReferralDeliveries,
        MissingEpisodeDeliveries,
        WithdrawConsentUseCase,
        ConsentWithdrawalReads,
        ConsentWithdrawalDeliveries,
        CorrectMessageUseCase,
        CorrectionReads,
        CorrectionDeliveries,
        MailboxWebhookOutbox,
        MailboxWebhookRelay,
        SubmitMaracReferralUseCase,
        RespondToMaracRequestUseCase,
        UpdateMaracActionUseCase,
        MaracDeliveries,
        MaracReads,
        ...handler,
      ],
      exports: [
        NODE_IDENTITY,
        OWN_AGENCY,
        InboxService,
        RefusedCopies,
        NodeKeys,
        AtRestSealer,
        AUDIT_EVENT_SIGNER,
        NodeSender,
        OutboxModule,
      ],
    };
  }
}
