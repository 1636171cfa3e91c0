import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { INestApplication, Type } from '@nestjs/common';
import { connectDependencies, createServiceApp } from '@app/platform';

export interface RunningService {
  app: INestApplication;
  url: string;
}

/**
 * Boots a service as main.ts does (same module, logger, pipes, Kafka transport) on a free port,
 * with its Kafka consumer connected to the real broker.
 */
export async function startService(rootModule: Type<unknown>, port = 0): Promise<RunningService> {
  const app = await createServiceApp(rootModule);
  await app.listen(port, '127.0.0.1');
  await connectDependencies(app);
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** Polls until the probe returns a value other than undefined, or fails after the timeout. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

/** Runs the project's broker script (start, stop) as an operator would. */
export function kafkaScript(command: 'start' | 'stop'): void {
  const script = path.join(__dirname, '..', '..', 'deploy', 'kafka', 'kafka.sh');
  const result = spawnSync('bash', [script, command], { encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`kafka.sh ${command} failed: ${result.stdout}${result.stderr}`);
}

export const TEST_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** A TCP port that was free a moment ago, for a service whose URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** How many records of a topic a running service has handled, from its /metrics. */
export async function kafkaRecordsHandled(serviceUrl: string, topic: string): Promise<number> {
  const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
  const line = metrics
    .split('\n')
    .find(
      (l) =>
        l.startsWith('sgx_kafka_records_total') &&
        l.includes(`topic="${topic}"`) &&
        l.includes('outcome="handled"'),
    );
  return Number(line?.split(' ').pop() ?? 0);
}
