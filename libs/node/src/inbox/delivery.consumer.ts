import { Controller, Type } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { deliveryTopic, fromKafkaHeaders } from '@app/contracts';
import { InvalidRecordError, RecordProcessor } from '@app/messaging';

import { InboxService } from './inbox.service';

/**
 * Builds the consumer of one node's delivery topic. A factory because the topic depends on the
 * node id, and NestJS reads @EventPattern when the class is declared.
 */
export function deliveryConsumerFor(nodeId: string): Type<unknown> {
  const topic = deliveryTopic(nodeId);

  @Controller()
  class DeliveryConsumer {
    constructor(
      private readonly records: RecordProcessor,
      private readonly inbox: InboxService,
    ) {}

    @EventPattern(topic)
    onDelivery(@Ctx() context: KafkaContext): Promise<void> {
      return this.records.run(context, async () => {
        const message = context.getMessage();
        let headers;
        try {
          headers = fromKafkaHeaders(message.headers ?? {});
        } catch (error) {
          throw new InvalidRecordError([(error as Error).message]);
        }
        // Nest's parser hands over a non-JSON value as a string.
        const body: unknown = message.value;
        if (typeof body !== 'string' || body.split('.').length !== 5) {
          throw new InvalidRecordError(['a delivery body must be a compact JWE']);
        }
        await this.inbox.storeOnce({
          messageId: headers.id,
          type: headers.type,
          source: headers.source,
          subjectRef: headers.subject ?? null,
          body,
          kafkaTopic: context.getTopic(),
          kafkaPartition: context.getPartition(),
          kafkaOffset: message.offset,
        });
      });
    }
  }
  return DeliveryConsumer;
}
