import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { KafkaHealthIndicator, OutboxHealth } from '@app/messaging';

import { Public } from '../auth/auth.decorators';
import { SERVICE_DESCRIPTOR, ServiceDescriptor } from '../config/service-env.token';
import { ConsumerGroupMembership } from './consumer-group-membership';

/**
 * Liveness of the service's dependencies. 200 when both are up; 503 with the failing one named
 * under `error` (e.g. `{"error":{"kafka":{"status":"down","message":"..."}}}`). A service with an
 * outbox adds `outbox`: `up` with the count of rows the broker kept refusing (`unsendable`), and
 * `degraded: true` while there are any — degraded, not down: a restart would not send them, and
 * everything else still flows, so an orchestrator must not kill the service for it. A service
 * that consumes adds `consumerGroup`: its group id and `joined`, `rebalancing` or `not-a-member`
 * since when; down (503) once the consumer has been no member, or rebalancing, for longer than
 * HEALTH_CONSUMER_GROUP_GRACE_SECONDS — the broker may answer while the service consumes nothing.
 * A service that never uses Kafka (`usesKafka: false`, the web console) is not made unhealthy by it.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly membership: ConsumerGroupMembership,
    @Inject(SERVICE_DESCRIPTOR) private readonly service: ServiceDescriptor,
    @Optional() private readonly outbox?: OutboxHealth,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({
    summary:
      'Database and Kafka health, consumer group membership, unsendable outbox rows; 503 names the dependency that is down',
  })
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3_000 }),
      ...(this.service.usesKafka === false
        ? []
        : [() => this.kafka.isHealthy('kafka'), () => this.membershipCheck()]),
      ...(this.outbox ? [() => this.outboxCheck(this.outbox!)] : []),
    ]);
  }

  private membershipCheck(): HealthIndicatorResult {
    const { healthy, ...report } = this.membership.report();
    const indicator = this.indicators.check('consumerGroup');
    return healthy ? indicator.up(report) : indicator.down(report);
  }

  private async outboxCheck(outbox: OutboxHealth): Promise<HealthIndicatorResult> {
    // The database check reports an unreachable database; this one only adds what it can count.
    let timer: NodeJS.Timeout | undefined;
    const unsendable = await Promise.race([
      outbox.unsendable(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), 3_000);
      }),
    ])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
    if (unsendable === undefined) return { outbox: { status: 'up', unsendable: 'unknown' } };
    return { outbox: { status: 'up', unsendable, ...(unsendable > 0 ? { degraded: true } : {}) } };
  }
}
