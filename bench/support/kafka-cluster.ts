/**
 * The three-broker cluster of deploy/kafka/kafka.sh (KAFKA_CLUSTER=3), or its single broker
 * (size 1), as a bench drives it: started unless it runs, one broker stopped, killed or started
 * again while the load goes on, all restarted, stopped at the end only if the bench started it. kafka.sh runs asynchronously, so the bench's
 * own load keeps going while a broker stops.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const KAFKA_SH = path.join(root, 'deploy', 'kafka', 'kafka.sh');

export class KafkaCluster {
  readonly brokers: string[];
  private startedHere = false;
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly size = 3) {
    const port = Number(process.env.KAFKA_PORT ?? 9092);
    this.brokers = Array.from({ length: size }, (_, i) => `127.0.0.1:${port + 2 * i}`);
    this.env = {
      ...process.env,
      KAFKA_CLUSTER: String(size),
      KAFKA_BROKERS: this.brokers.join(','),
    };
  }

  /** Starts the cluster unless all of it runs; refuses a single broker on the same port. */
  async ensureRunning(): Promise<void> {
    const cluster = await this.run(['status'], true);
    if (cluster.code === 0) return;
    const single = this.size > 1 && (await this.run(['status'], true, { KAFKA_CLUSTER: '1' }));
    if (single && single.code === 0) {
      throw new Error(
        `a single broker runs on ${this.brokers[0]}: stop it first (bash deploy/kafka/kafka.sh stop), ` +
          'the cluster takes its port',
      );
    }
    this.startedHere = cluster.code === 3;
    await this.run(['start']);
  }

  stopBroker(n: number): Promise<unknown> {
    return this.run(['stop-broker', String(n)]);
  }

  killBroker(n: number): Promise<unknown> {
    return this.run(['kill-broker', String(n)]);
  }

  startBroker(n: number): Promise<unknown> {
    return this.run(['start-broker', String(n)]);
  }

  /** Every broker stopped and started again: the broker restart of a fault run. */
  async restart(): Promise<void> {
    await this.run(['restart']);
  }

  /** Stops the cluster if this bench started it; says what it leaves running otherwise. */
  async release(): Promise<string> {
    if (!this.startedHere)
      return `left Kafka on ${this.brokers.join(',')} running (it was running before)`;
    await this.run(['stop']);
    return `stopped the Kafka it started on ${this.brokers.join(',')}`;
  }

  private run(
    args: string[],
    mayFail = false,
    extraEnv: NodeJS.ProcessEnv = {},
  ): Promise<{ code: number; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [KAFKA_SH, ...args], {
        cwd: root,
        env: { ...this.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code === 0 || mayFail) resolve({ code: code ?? 1, output });
        else reject(new Error(`kafka.sh ${args.join(' ')} failed (${code}): ${output}`));
      });
    });
  }
}
