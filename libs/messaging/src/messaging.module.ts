import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { KafkaHealthIndicator } from './kafka/kafka-health.indicator';
import { KafkaPublisher } from './kafka/kafka-publisher.service';
import { RecordProcessor } from './records/record-processor.service';

/**
 * Kafka publishing, health and record processing for one service. Expects KAFKA_SETTINGS from
 * a global module (the platform module derives it from the service's environment).
 */
@Module({
  imports: [TerminusModule],
  providers: [KafkaPublisher, KafkaHealthIndicator, RecordProcessor],
  exports: [KafkaPublisher, KafkaHealthIndicator, RecordProcessor],
})
export class MessagingModule {}
