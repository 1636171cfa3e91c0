import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka } from 'kafkajs';

import { kafkaClientConfig, KAFKA_SETTINGS, KafkaSettings } from './kafka-settings';

const CHECK_TIMEOUT_MS = 3_000;

/** Up when the broker answers a metadata request within a few seconds. */
@Injectable()
export class KafkaHealthIndicator implements OnApplicationShutdown {
  private readonly kafka: Kafka;
  private admin: Admin | null = null;

  constructor(
    @Inject(KAFKA_SETTINGS) settings: KafkaSettings,
    private readonly healthIndicatorService: HealthIndicatorService,
  ) {
    // No retries: a health check must answer now, not after the client's backoff.
    this.kafka = new Kafka({
      ...kafkaClientConfig(settings, 'health'),
      retry: { retries: 0 },
      requestTimeout: CHECK_TIMEOUT_MS,
      connectionTimeout: CHECK_TIMEOUT_MS,
    });
  }

  async isHealthy(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.healthIndicatorService.check(key);
    try {
      const cluster = await withTimeout(this.describeCluster(), CHECK_TIMEOUT_MS);
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.resetAdmin();
      return indicator.down({ message: `Kafka unreachable: ${(error as Error).message}` });
    }
  }

  private async describeCluster() {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin.describeCluster();
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
