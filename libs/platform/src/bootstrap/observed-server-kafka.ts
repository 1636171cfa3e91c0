import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import { Consumer } from 'kafkajs';

/**
 * Nest's Kafka transport, handing each consumer it makes (at start and at every fresh start) to
 * `onConsumer` before the consumer joins its group: kafkajs's `run` resolves only after the
 * join (or a crash), so a listener attached after it would miss the first GROUP_JOIN.
 */
export class ObservedServerKafka extends ServerKafka {
  constructor(
    options: Required<KafkaOptions>['options'],
    private readonly onConsumer: (consumer: Consumer) => void,
  ) {
    super(options);
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    if (this.consumer) this.onConsumer(this.consumer);
  }
}
