import { Logger } from '@nestjs/common';
import { KafkaConfig, logCreator, logLevel, RetryOptions, SASLOptions } from 'kafkajs';

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

/** How a client proves who it is to the broker; there is no anonymous access. */
export interface KafkaSecurity {
  sasl: {
    mechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
    username: string;
    password: string;
  };
  /** TLS: the CA that signed the brokers' certificates (PEM), and a client certificate if asked for. */
  ssl?: { ca: string; cert?: string; key?: string };
}

/** The Kafka settings of one service, derived from its validated environment. */
export interface KafkaSettings {
  brokers: string[];
  /** Client id and consumer group of the service: one group per service, so each gets every record. */
  groupId: string;
  partitionsConsumedConcurrently: number;
  security: KafkaSecurity;
  /**
   * The topics this service must be allowed to read or write (its lines of kafkaAccessRules),
   * which /health checks so that a missing ACL is named; empty for tools and tests.
   */
  requiredTopics?: { topic: string; operation: 'read' | 'write' }[];
  /** The consumer group this service must be allowed to use, which /health checks likewise. */
  requiredGroup?: string;
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

/** Routes kafkajs's own log lines through the service logger (JSON, one format per service). */
export const kafkaLogCreator: logCreator = () => {
  const loggers = new Map<string, Logger>();
  return ({ namespace, level, log }) => {
    const context = namespace ? `kafkajs:${namespace}` : 'kafkajs';
    const logger = loggers.get(context) ?? new Logger(context);
    loggers.set(context, logger);
    // kafkajs log entries carry broker, topic and error details, never record values.
    const line = log.error ? `${log.message}: ${String(log.error)}` : log.message;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else logger.log(line);
  };
};

/** kafkajs's form of the credentials and TLS settings. */
export function kafkaSecurityConfig(security: KafkaSecurity): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const { sasl, ssl } = security;
  return {
    // kafkajs types each mechanism as its own object; ours is one of those three.
    sasl: { ...sasl } as SASLOptions,
    ssl: ssl ? { ca: [ssl.ca], cert: ssl.cert, key: ssl.key, rejectUnauthorized: true } : false,
  };
}

export function kafkaClientConfig(settings: KafkaSettings, role: string): KafkaConfig {
  return {
    clientId: `${settings.groupId}-${role}`,
    brokers: settings.brokers,
    ...kafkaSecurityConfig(settings.security),
    // The broker may still be starting: give the first connection a little longer than 1 s.
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: KAFKA_RETRY,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator,
  };
}
