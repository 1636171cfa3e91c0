import { Global, Module } from '@nestjs/common';

import { OutboxHealth } from './outbox-health';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRetention } from './outbox-retention.service';
import { OutboxWriter } from './outbox-writer.service';

/**
 * The transactional outbox of a service. Expects OUTBOX_SETTINGS and the KafkaPublisher from the
 * platform module, and the `outbox` table (CreateOutbox migration) in the service's schema.
 */
@Global()
@Module({
  providers: [OutboxRelay, OutboxWriter, OutboxRetention, OutboxHealth],
  exports: [OutboxRelay, OutboxWriter, OutboxRetention, OutboxHealth],
})
export class OutboxModule {}
