import {
  BoundOutboxAttempts1764194000000,
  CreateOutbox1764160000000,
  OutboxEntity,
} from '@app/messaging';
import { REGISTRY_ENTITIES } from '@app/registry';

import { CreateRegistry1764140100000 } from './migrations/1764140100000-create-registry';
import { CreateNodeKey1764150000000 } from './migrations/1764150000000-create-node-key';
import { CreateSeenJti1764150100000 } from './migrations/1764150100000-create-seen-jti';
import { CreateExchangeTables1764160100000 } from './migrations/1764160100000-create-exchange-tables';
import { AddDeliverySharingBasis1764170000000 } from './migrations/1764170000000-add-delivery-sharing-basis';
import { CreateReferralTracking1764180000000 } from './migrations/1764180000000-create-referral-tracking';
import { OpenDeadlineKinds1764190000000 } from './migrations/1764190000000-open-deadline-kinds';
import { CreateMissingEpisodeTracking1764190100000 } from './migrations/1764190100000-create-missing-episode-tracking';
import { AddDeliverySenderMailbox1764190500000 } from './migrations/1764190500000-add-delivery-sender-mailbox';
import { CreateMaracRouting1764191000000 } from './migrations/1764191000000-create-marac-routing';
import { CreateMaracReferralTracking1764192200000 } from './migrations/1764192200000-create-marac-referral-tracking';
import { NotifyNodeKeyChanges1764193000000 } from './migrations/1764193000000-notify-node-key-changes';
import { AddDeliveryTombstones1764195000000 } from './migrations/1764195000000-add-delivery-tombstones';
import { CreateCorrectionTracking1764210000000 } from './migrations/1764210000000-create-correction-tracking';
import { SeenJtiEntity } from './replay/seen-jti.entity';

/**
 * The hub's schema: the registry with the nodes' public keys, the replay store, the outbox, and
 * what it tracks of each message (processed ids, deliveries, deadlines).
 */
export const HUB_TABLES = {
  entities: [...REGISTRY_ENTITIES, SeenJtiEntity, OutboxEntity],
  migrations: [
    CreateRegistry1764140100000,
    CreateNodeKey1764150000000,
    CreateSeenJti1764150100000,
    CreateOutbox1764160000000,
    BoundOutboxAttempts1764194000000,
    CreateExchangeTables1764160100000,
    AddDeliverySharingBasis1764170000000,
    CreateReferralTracking1764180000000,
    OpenDeadlineKinds1764190000000,
    CreateMissingEpisodeTracking1764190100000,
    AddDeliverySenderMailbox1764190500000,
    CreateMaracRouting1764191000000,
    CreateMaracReferralTracking1764192200000,
    NotifyNodeKeyChanges1764193000000,
    AddDeliveryTombstones1764195000000,
    CreateCorrectionTracking1764210000000,
  ],
};
