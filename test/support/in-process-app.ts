import { INestApplication, Type } from '@nestjs/common';
import { createServiceApp } from '@app/platform';
import { DataSource } from 'typeorm';

/**
 * A service's Nest app as main.ts builds it (logger, pipes, filters, guards), initialised and
 * connected to the real database but not listening and not consuming from Kafka: for driving
 * its HTTP API in-process with supertest, many cases a second.
 */
export async function inProcessApp(rootModule: Type<unknown>): Promise<INestApplication> {
  const app = await createServiceApp(rootModule);
  // Connected before the relays and key loaders start on bootstrap, as connectDependencies does.
  const dataSource = app.get(DataSource);
  if (!dataSource.isInitialized) await dataSource.initialize();
  await app.init();
  // listen() would flush the logs buffered during start-up and stop buffering; init() does not.
  app.flushLogs();
  return app;
}
