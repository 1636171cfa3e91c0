import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DatabaseConnector, redactEnv, SERVICE_ENV } from '@app/platform';

import { AppModule } from './app.module';
import { createConsoleApp } from './bootstrap/console-app';
import { ConsoleEnv } from './config/console.env';

/** Listens first, so /health answers while PostgreSQL is still being reached. */
async function runConsole(): Promise<void> {
  try {
    const app = await createConsoleApp(AppModule);
    const env = app.get<ConsoleEnv>(SERVICE_ENV);
    await app.listen(env.HTTP_PORT, env.HTTP_HOST);
    new Logger('Bootstrap').log(
      `console listening on ${await app.getUrl()} with ${JSON.stringify(redactEnv(env))}`,
    );
    await app.get(DatabaseConnector).connect();
  } catch (error) {
    console.error(`console failed to start: ${(error as Error).message}`);
    process.exit(1);
  }
}

void runConsole();
