import { INestApplication, Logger as NestLogger, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import {
  KAFKA_SETTINGS,
  KafkaSettings,
  describeError,
  kafkaMicroserviceOptions,
} from '@app/messaging';
import { httpServerSpans, startTracing } from '@app/tracing';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';

import { BaseServiceEnv } from '../config/base-service.env';
import { SERVICE_DESCRIPTOR, SERVICE_ENV, ServiceDescriptor } from '../config/service-env.token';
import { redactEnv } from '../config/validate-env';
import { DatabaseConnector } from '../database/database-connector.service';
import { ConsumerGroupMembership } from '../health/consumer-group-membership';
import { keepConsuming } from './consumer-keeper';
import { ObservedServerKafka } from './observed-server-kafka';
import { buildOpenApiDocument } from './openapi-document';
import { applyRequestLimits } from '../http/request-limits';

/**
 * Creates a service's Nest application, configured as in production (logger, validation,
 * OpenAPI, Kafka consumer attached) but not yet listening. Tests use it the same way.
 */
export async function createServiceApp(rootModule: Type<unknown>): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, {
    bufferLogs: true,
    abortOnError: false,
    // applyRequestLimits installs the only body parser, with its limits.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // The usual security headers, and no X-Powered-By telling a scanner what to try.
  app.use(helmet());
  const env = app.get<BaseServiceEnv>(SERVICE_ENV);
  applyRequestLimits(app, {
    maxBodyBytes: env.HTTP_BODY_MAX_BYTES,
    maxDepth: env.HTTP_BODY_MAX_DEPTH,
    // The development issuer's sign-in is OAuth, whose endpoints take forms; not in production.
    formPaths: env.NODE_ENV === 'production' ? [] : ['/dev-issuer'],
  });
  const descriptor = app.get<ServiceDescriptor>(SERVICE_DESCRIPTOR);
  // After the body parser, whose stream callbacks would lose the span's context.
  app.use(httpServerSpans(descriptor.name));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app, descriptor);
  SwaggerModule.setup('docs', app, document);

  // /health follows each consumer's membership of its group from before it joins.
  const membership = app.get(ConsumerGroupMembership);
  const { options } = kafkaMicroserviceOptions(app.get<KafkaSettings>(KAFKA_SETTINGS));
  app.connectMicroservice(
    { strategy: new ObservedServerKafka(options!, (consumer) => membership.watch(consumer)) },
    { inheritAppConfig: true },
  );
  return app;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Starts the Kafka consumer, retrying with backoff while the broker is unreachable. The HTTP
 * server is already up meanwhile, so /health tells operators what is wrong.
 */
export async function startConsumers(app: INestApplication): Promise<void> {
  const logger = new NestLogger('Kafka');
  const membership = app.get(ConsumerGroupMembership);
  membership.consuming();
  for (let attempt = 1; ; attempt++) {
    try {
      await app.startAllMicroservices();
      logger.log('Kafka consumer connected');
      for (const microservice of app.getMicroservices()) keepConsuming(microservice, logger);
      return;
    } catch (error) {
      const delay = Math.min(1_000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      logger.warn(
        `Kafka consumer could not start (attempt ${attempt}): ${describeError(error)}; retrying in ${delay} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Connects the database (retrying), then starts the Kafka consumer (retrying): handlers never
 * run before the database they write to is there.
 */
export async function connectDependencies(app: INestApplication): Promise<void> {
  await app.get(DatabaseConnector).connect();
  await startConsumers(app);
}

/** Entry point of every service's main.ts: listen on HTTP, then connect and start consuming. */
export async function runService(rootModule: Type<unknown>): Promise<void> {
  try {
    const app = await createServiceApp(rootModule);
    startTracing({ serviceName: app.get<ServiceDescriptor>(SERVICE_DESCRIPTOR).name });
    const env = app.get<BaseServiceEnv>(SERVICE_ENV);
    await app.listen(env.HTTP_PORT, env.HTTP_HOST);
    const logger = new NestLogger('Bootstrap');
    logger.log(`listening on ${await app.getUrl()} with ${JSON.stringify(redactEnv(env))}`);
    await connectDependencies(app);
  } catch (error) {
    // Configuration errors and the like: say what is wrong and stop, never exit silently.
    console.error(`${rootModule.name} failed to start: ${describeError(error)}`);
    process.exit(1);
  }
}
