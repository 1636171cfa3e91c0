import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { KafkaHealthIndicator } from './kafka/kafka-health.indicator';
import { KafkaPublisher } from './kafka/kafka-publisher.service';

/**
 * Kafka publishing and health for one service. Expects KAFKA_SETTINGS from a global module (the
 * platform module derives it from the service's environment). RecordProcessor is provided by the
 * platform module beside the dependency probe and metrics registry it takes.
 */
@Module({
  imports: [TerminusModule],
  providers: [KafkaPublisher, KafkaHealthIndicator],
  exports: [KafkaPublisher, KafkaHealthIndicator],
})
export class MessagingModule {}
