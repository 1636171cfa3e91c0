import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

import { eventually } from './service-harness';

const root = path.join(__dirname, '..', '..');

/**
 * A service run as production runs it: its own Node process starting from main.ts, so a test can
 * kill it with SIGKILL at any point — no shutdown hook, no flush, as a crash or an OOM kill would.
 * `from: 'dist'` starts the compiled main.js as `npm start` does (after `npm run build`): no
 * transpiling at start, which matters when many start at once on a busy machine.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  readonly url: string;

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
      { what: `${this.app} to answer /health`, timeoutMs: 90_000, intervalMs: 500 },
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
    await exited;
    this.child = null;
  }
}
