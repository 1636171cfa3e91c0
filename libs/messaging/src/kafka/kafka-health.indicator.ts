import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import {
  Admin,
  Kafka,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
  LogEntry,
  logLevel,
} from 'kafkajs';

import { kafkaClientConfig, KAFKA_SETTINGS, KafkaSettings } from './kafka-settings';

const CHECK_TIMEOUT_MS = 3_000;
const GROUP_REFUSED = 'GROUP_AUTHORIZATION_FAILED';

/** Thrown by a check that the broker answered with an authorization error. */
class NotAuthorizedError extends Error {}

/**
 * Up when the broker accepts the service's credentials, answers a metadata request for each
 * topic the service needs and lets it describe its consumer group, within a few seconds. Down
 * says why: `kafka: authentication failed` (wrong user or password), `kafka: not authorized to
 * <read|write> topic <name>` or `kafka: not authorized to use group <id>` (a missing ACL), or
 * the broker is unreachable. Every check reconnects after a failure, so fixing the
 * credential or the ACL on the broker brings the service back without a restart.
 */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private readonly logger = new Logger('KafkaHealth');
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  /** The last problem logged, so an outage is one log line, not one per check. */
  private lastProblem: string | null = null;
  /** Set when a broker refused this principal its consumer group during the current check. */
  private groupRefused = false;

  constructor(
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly healthIndicatorService: HealthIndicatorService,
  ) {
    // No retries: a health check must answer now, not after the client's backoff.
    this.kafka = new Kafka({
      ...kafkaClientConfig(settings, 'health'),
      retry: { retries: 0 },
      // The indicator logs one line per problem itself (below); kafkajs's own lines are only
      // watched for the one answer it does not pass on (groupRefusalWatch).
      logLevel: logLevel.DEBUG,
      logCreator: () => (entry) => this.groupRefusalWatch(entry),
      requestTimeout: CHECK_TIMEOUT_MS,
      connectionTimeout: CHECK_TIMEOUT_MS,
    });
  }

  async isHealthy(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.healthIndicatorService.check(key);
    try {
      const brokers = await withTimeout(this.check(), CHECK_TIMEOUT_MS * 2);
      if (this.lastProblem) this.logger.log('Kafka reachable and authorised again');
      this.lastProblem = null;
      return indicator.up({ brokers });
    } catch (error) {
      await this.resetAdmin();
      const message = describeProblem(error);
      if (message !== this.lastProblem) {
        // The principal's name helps the operator; the password is never part of any message.
        this.logger.error(`${message} (principal ${this.settings.security.sasl.username})`);
      }
      this.lastProblem = message;
      return indicator.down({ message });
    }
  }

  private async check(): Promise<number> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    const cluster = await this.admin.describeCluster();
    for (const { topic, operation } of this.settings.requiredTopics ?? []) {
      try {
        await this.admin.fetchTopicMetadata({ topics: [topic] });
      } catch (error) {
        if (isTopicAuthorizationError(error)) {
          throw new NotAuthorizedError(`kafka: not authorized to ${operation} topic ${topic}`);
        }
        throw error;
      }
    }
    if (this.settings.requiredGroup) await this.checkGroup(this.settings.requiredGroup);
    return cluster.brokers.length;
  }

  /**
   * The broker checks the group ACL (DESCRIBE, which READ implies) when asked for the group's
   * coordinator. Any other answer — a coordinator still loading, or moving after a broker was
   * lost — is not this check's business: the consumer rides it out.
   */
  private async checkGroup(groupId: string): Promise<void> {
    this.groupRefused = false;
    try {
      await this.admin!.describeGroups([groupId]);
    } catch (error) {
      if (this.groupRefused) {
        throw new NotAuthorizedError(`kafka: not authorized to use group ${groupId}`);
      }
      if (error instanceof KafkaJSSASLAuthenticationError) throw error;
    }
  }

  /**
   * kafkajs asks every broker for the coordinator and, when all refuse, throws only "Failed to
   * find group coordinator": the broker's GROUP_AUTHORIZATION_FAILED is in its debug line alone.
   */
  private groupRefusalWatch({ log }: LogEntry): void {
    const { message, error } = log as { message?: string; error?: { type?: string } };
    if (message === 'Tried to find group coordinator' && error?.type === GROUP_REFUSED) {
      this.groupRefused = true;
    }
  }

  private async resetAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.resetAdmin();
  }
}

/** kafkajs keeps the broker's code on a protocol error but only its text once it wraps one. */
function isTopicAuthorizationError(error: unknown): boolean {
  return (
    (error instanceof KafkaJSProtocolError && error.type === 'TOPIC_AUTHORIZATION_FAILED') ||
    (error instanceof Error && error.message.includes('Topic authorization failed'))
  );
}

function describeProblem(error: unknown): string {
  if (error instanceof NotAuthorizedError) return error.message;
  if (error instanceof KafkaJSSASLAuthenticationError) return 'kafka: authentication failed';
  return `kafka: unreachable: ${(error as Error).message}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
