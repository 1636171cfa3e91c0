import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  DEPENDENCY_PROBE,
  KAFKA_SETTINGS,
  kafkaAccessRules,
  KafkaSettings,
  MessagingModule,
  METRICS_REGISTRY,
  OUTBOX_SETTINGS,
  OutboxSettings,
  parseBrokers,
  RecordProcessor,
} from '@app/messaging';
import { dataSourceOptions, ServicePersistence } from '@app/persistence';
import { LoggerModule } from 'nestjs-pino';

import { AuthModule } from './auth/auth.module';
import { Clock } from './clock/clock';
import { BaseServiceEnv } from './config/base-service.env';
import { kafkaSecurityFromEnv } from './config/kafka-security';
import { SERVICE_DESCRIPTOR, SERVICE_ENV, ServiceDescriptor } from './config/service-env.token';
import { validateEnv } from './config/validate-env';
import { DatabaseConnector } from './database/database-connector.service';
import { DatabaseProbe } from './database/database-probe';
import { ExchangeErrorFilter } from './errors/exchange-error.filter';
import { DependencyUnavailableFilter } from './errors/dependency-unavailable.filter';
import { ConsumerGroupMembership } from './health/consumer-group-membership';
import { HealthController } from './health/health.controller';
import { loggerOptions } from './logging/logger-options';
import { HttpMetricsInterceptor } from './metrics/http-metrics.interceptor';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { TracingShutdown } from './tracing/tracing-shutdown';

export interface PlatformOptions<E extends BaseServiceEnv> {
  service: ServiceDescriptor;
  env: Type<E>;
  /** The service's entities and migrations; the schema comes from DATABASE_SCHEMA. */
  tables: Omit<ServicePersistence, 'schema'>;
}

/**
 * Everything a service needs to run in production: validated configuration, JSON logs,
 * PostgreSQL, Kafka, /health and /metrics, and the 503 answer to a dependency that is down. Each app imports it once with its own env class.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot<E extends BaseServiceEnv>(options: PlatformOptions<E>): DynamicModule {
    const readEnv = () => validateEnv(options.env, process.env);
    return {
      module: PlatformModule,
      global: true,
      imports: [
        // Loads .env when present and stops the boot with every invalid variable named. It returns
        // the raw variables so that one app's defaults never leak into process.env for another.
        ConfigModule.forRoot({
          isGlobal: true,
          validate: (raw) => {
            validateEnv(options.env, raw);
            return raw;
          },
        }),
        LoggerModule.forRootAsync({
          useFactory: () => loggerOptions(options.service.name, readEnv()),
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => {
            const env = readEnv();
            return {
              ...dataSourceOptions(
                { ...options.tables, schema: env.DATABASE_SCHEMA },
                { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE },
              ),
              // DatabaseConnector connects once HTTP is up, so /health answers while it retries.
              manualInitialization: true,
            };
          },
        }),
        TerminusModule,
        MessagingModule,
        AuthModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_DESCRIPTOR, useValue: options.service },
        TracingShutdown,
        { provide: SERVICE_ENV, useFactory: readEnv },
        { provide: options.env, useExisting: SERVICE_ENV },
        {
          provide: KAFKA_SETTINGS,
          useFactory: (env: BaseServiceEnv): KafkaSettings => ({
            brokers: parseBrokers(env.KAFKA_BROKERS),
            groupId: env.KAFKA_GROUP_ID,
            partitionsConsumedConcurrently: env.KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY,
            // validateEnv has already refused to start without readable credentials.
            security: kafkaSecurityFromEnv(env).security!,
            // The service's own lines of the table, by its default principal: the same whatever
            // user name a managed Kafka gave it.
            requiredTopics: kafkaAccessRules()
              .filter(
                (rule) =>
                  rule.principal === new options.env().KAFKA_SASL_USERNAME &&
                  rule.resource === 'topic' &&
                  rule.pattern === 'literal',
              )
              .map((rule) => ({ topic: rule.name, operation: rule.operation })),
            requiredGroup: env.KAFKA_GROUP_ID,
          }),
          inject: [SERVICE_ENV],
        },
        {
          provide: OUTBOX_SETTINGS,
          useFactory: (env: BaseServiceEnv): OutboxSettings => ({
            pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
            batchSize: env.OUTBOX_BATCH_SIZE,
            leaseSeconds: env.OUTBOX_LEASE_SECONDS,
            enabled: env.OUTBOX_RELAY_ENABLED === 'true',
            retentionHours: env.OUTBOX_RETENTION_HOURS,
            maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
          }),
          inject: [SERVICE_ENV],
        },
        Clock,
        {
          provide: ConsumerGroupMembership,
          useFactory: (env: BaseServiceEnv) =>
            new ConsumerGroupMembership(
              env.KAFKA_GROUP_ID,
              env.HEALTH_CONSUMER_GROUP_GRACE_SECONDS * 1000,
            ),
          inject: [SERVICE_ENV],
        },
        MetricsService,
        DatabaseConnector,
        RecordProcessor,
        { provide: DEPENDENCY_PROBE, useClass: DatabaseProbe },
        {
          provide: METRICS_REGISTRY,
          useFactory: (metrics: MetricsService) => metrics.registry,
          inject: [MetricsService],
        },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
        // A dependency down (the hub's key set) is a 503 the caller can retry, never a 500.
        { provide: APP_FILTER, useClass: DependencyUnavailableFilter },
        // The exchange's coded errors on HTTP: a 4xx with the code, never a 500.
        { provide: APP_FILTER, useClass: ExchangeErrorFilter },
      ],
      exports: [
        DatabaseConnector,
        RecordProcessor,
        DEPENDENCY_PROBE,
        METRICS_REGISTRY,
        SERVICE_DESCRIPTOR,
        SERVICE_ENV,
        options.env,
        KAFKA_SETTINGS,
        OUTBOX_SETTINGS,
        Clock,
        ConsumerGroupMembership,
        MetricsService,
        MessagingModule,
      ],
    };
  }
}
