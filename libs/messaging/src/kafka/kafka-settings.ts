import { KafkaConfig, logLevel, RetryOptions } from 'kafkajs';

/** The Kafka settings of one service, derived from its validated environment. */
export interface KafkaSettings {
  brokers: string[];
  /** Client id and consumer group of the service: one group per service, so each gets every record. */
  groupId: string;
  partitionsConsumedConcurrently: number;
}

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/**
 * Retries with exponential backoff capped at 30 s. kafkajs restarts a consumer after its
 * retries run out on a retriable error, so a broker outage is ridden out, not fatal.
 */
export const KAFKA_RETRY: RetryOptions = {
  initialRetryTime: 300,
  maxRetryTime: 30_000,
  retries: 8,
};

export function kafkaClientConfig(settings: KafkaSettings, role: string): KafkaConfig {
  return {
    clientId: `${settings.groupId}-${role}`,
    brokers: settings.brokers,
    // The broker may still be starting: give the first connection a little longer than 1 s.
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: KAFKA_RETRY,
    logLevel: logLevel.WARN,
  };
}
