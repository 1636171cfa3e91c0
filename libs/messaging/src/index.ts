export * from './kafka/kafka-settings';
export * from './kafka/kafka-microservice.options';
export * from './kafka/kafka-publisher.service';
export * from './kafka/kafka-health.indicator';
export * from './kafka/topic-admin';
export * from './records/validate-record';
export * from './records/record-processor.service';
export * from './messaging.module';
