import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import { eventually } from './service-harness';

const root = path.join(__dirname, '..', '..');
const STOP_TIMEOUT_MS = 15_000;

/**
 * A service run as production runs it: its own Node process starting from main.ts, so a test can
 * kill it with SIGKILL at any point — no shutdown hook, no flush, as a crash or an OOM kill would.
 * `from: 'dist'` starts the compiled main.js as `npm start` does (after `npm run build`): no
 * transpiling at start, which matters when many start at once on a busy machine.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  readonly url: string;
  /** How long start waits for /health 200: longer in a fault run, where Kafka may be away. */
  readyTimeoutMs = 90_000;

  constructor(
    private readonly app: string,
    private readonly port: number,
    private readonly env: Record<string, string> = {},
    private readonly from: 'source' | 'dist' = 'source',
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const args =
      this.from === 'dist'
        ? ['-r', 'tsconfig-paths/register', path.join('dist', 'apps', this.app, 'src', 'main.js')]
        : ['-r', './scripts/run-ts.js', path.join('apps', this.app, 'src', 'main.ts')];
    const compiled = this.from === 'dist' ? { TS_NODE_BASEURL: path.join(root, 'dist') } : {};
    this.child = spawn(process.execPath, args, {
      cwd: root,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        ...compiled,
        ...this.env,
        HTTP_PORT: String(this.port),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await eventually(
      async () => ((await fetch(`${this.url}/health`)).status === 200 ? true : undefined),
      { what: `${this.app} to answer /health`, timeoutMs: this.readyTimeoutMs, intervalMs: 500 },
    );
  }

  /** SIGKILL: the process gets no chance to commit offsets, finish transactions or say goodbye. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    // As the stack's supervisor does: a shutdown that hangs is cut short.
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }
}
