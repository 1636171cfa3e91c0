import { Controller, Type } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { deliveryTopic, ExchangeErrorCode, fromKafkaHeaders } from '@app/contracts';
import { InvalidRecordError, RecordProcessor } from '@app/messaging';

import { ReceiveDeliveryUseCase } from './receive-delivery.usecase';

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
      private readonly receive: ReceiveDeliveryUseCase,
    ) {}

    @EventPattern(topic)
    onDelivery(@Ctx() context: KafkaContext): Promise<void> {
      return this.records.run(context, async () => {
        const message = context.getMessage();
        let id: string;
        try {
          id = fromKafkaHeaders(message.headers ?? {}).id;
        } catch (error) {
          throw new InvalidRecordError([(error as Error).message], ExchangeErrorCode.MALFORMED);
        }
        await this.receive.execute({
          key: message.key,
          headers: (message.headers ?? {}) as Record<string, Buffer | string | undefined>,
          // Nest's parser hands over a non-JSON value as a string.
          value: message.value,
          topic: context.getTopic(),
          partition: context.getPartition(),
          offset: message.offset,
          messageId: id,
        });
      });
    }
  }
  return DeliveryConsumer;
}
