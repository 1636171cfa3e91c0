/**
 * Clean stops of the start commands (issue 15 item 3), tried as a user would: spawn the
 * command, signal it, and look at the process table for anything it left behind.
 * Real: the scripts themselves, a real Kafka broker started by deploy/kafka/kafka.sh on ports
 * and in a folder of its own, the real PostgreSQL login check. Faked: the services under the
 * supervisor in the first tests are idle Node processes.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { eventually } from '../support/service-harness';

const root = path.join(__dirname, '..', '..');

interface Launched {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Launched {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exit };
}

/** Every process whose parent chain leads to `pid`, from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [...parents].filter(([, ppid]) => frontier.includes(ppid)).map(([p]) => p);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** Processes whose command line mentions `text` (a broker's own cache folder). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function untilReady(launched: Launched, marker: string): Promise<void> {
  await eventually(async () => (launched.output().includes(marker) ? true : undefined), {
    what: `"${marker}" in the output`,
    timeoutMs: 60_000,
  });
}

const fixture = path.join('test', 'support', 'supervised-fixture.js');

describe('a supervised start command', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops every child and grandchild on %s and says what it stopped and left running',
    async (signal) => {
      const launched = launch(process.execPath, [fixture, 'services']);
      await untilReady(launched, 'READY');
      const started = descendants(launched.child.pid!);
      expect(started.length).toBeGreaterThanOrEqual(3);

      launched.child.kill(signal);
      const { code } = await launched.exit;

      expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
      await eventually(async () => (started.some(alive) ? undefined : true), {
        what: 'every child to be gone',
      });
      expect(launched.output()).toContain('pretend broker stopped');
      expect(launched.output()).toMatch(
        /stopped service with a grandchild, idle service, the pretend broker/,
      );
      expect(launched.output()).toContain('left running: the pretend database');
    },
  );

  it('stops the other children when one exits on its own', async () => {
    const launched = launch(process.execPath, [fixture, 'service-exits']);
    await untilReady(launched, 'READY');
    const started = descendants(launched.child.pid!);

    const { code } = await launched.exit;

    expect(code).toBe(1);
    expect(launched.output()).toContain('short-lived service exited on its own (3)');
    await eventually(async () => (started.some(alive) ? undefined : true), {
      what: 'every child to be gone',
    });
  });

  it('stops a step in progress on SIGTERM and runs no later step', async () => {
    const launched = launch(process.execPath, [fixture, 'long-step']);
    await untilReady(launched, 'READY');
    const started = descendants(launched.child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(2);

    launched.child.kill('SIGTERM');
    const { code } = await launched.exit;

    expect(code).toBe(143);
    expect(launched.output()).not.toContain('the next step ran');
    await eventually(async () => (started.some(alive) ? undefined : true), {
      what: "the step's processes to be gone",
    });
  });
});

describe('starting a broker of its own', () => {
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'sgx-clean-stops-'));
    // The jars the suite's own broker already resolved: no second Maven download.
    const jars = path.join(
      process.env.KAFKA_CACHE_DIR ?? path.join(root, 'deploy', 'kafka', '.cache'),
      'libs',
    );
    if (existsSync(jars)) {
      symlinkSync(jars, path.join(cacheDir, 'libs'));
      const stamp = path.join(path.dirname(jars), 'libs.pom.sha256');
      if (existsSync(stamp)) symlinkSync(stamp, path.join(cacheDir, 'libs.pom.sha256'));
    }
    const port = await freePort();
    env = {
      ...process.env,
      KAFKA_CACHE_DIR: cacheDir,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_BROKERS: `127.0.0.1:${port}`,
    };
  });

  afterEach(() => {
    // Whatever a failed assertion left: never a stray broker after the test.
    for (const pid of processesMentioning(cacheDir)) process.kill(pid, 'SIGKILL');
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('kafka.sh start interrupted before the broker is ready stops the broker it launched', async () => {
    const launched = launch('bash', ['deploy/kafka/kafka.sh', 'start'], env);
    await untilReady(launched, 'starting broker');

    launched.child.kill('SIGTERM');
    const { code } = await launched.exit;

    expect(code).toBe(130);
    expect(launched.output()).toContain('stopping the broker it launched');
    await eventually(async () => (processesMentioning(cacheDir).length ? undefined : true), {
      what: 'the broker to be gone',
    });
  });

  it('npm start failing at the database check stops the broker it started and says the server is not running', async () => {
    const closedPort = await freePort();
    const launched = launch(process.execPath, ['scripts/stack.js'], {
      ...env,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/nothing_here`,
    });

    const { code } = await launched.exit;

    expect(code).toBe(1);
    expect(launched.output()).toContain('Kafka running on');
    expect(launched.output()).toContain(`no server answers on 127.0.0.1:${closedPort}`);
    expect(launched.output()).toContain(`stopped the Kafka broker on ${env.KAFKA_BROKERS}`);
    expect(processesMentioning(cacheDir)).toEqual([]);
  });
});

describe('the database check', () => {
  const check = (url: string) =>
    launch('bash', ['deploy/postgres/db-check.sh'], { ...process.env, DATABASE_URL: url });
  const testUrl = new URL(process.env.DATABASE_URL!);

  it('tells a server that is not running', async () => {
    const port = await freePort();
    const launched = check(`postgres://postgres@127.0.0.1:${port}/x`);
    expect((await launched.exit).code).toBe(1);
    expect(launched.output()).toContain(`no server answers on 127.0.0.1:${port}`);
  });

  it('tells wrong credentials from a server that is not running', async () => {
    const wrongUser = new URL(testUrl);
    wrongUser.username = 'no_such_role_sgx';
    wrongUser.password = 'not-the-password';
    const launched = check(wrongUser.toString());
    expect((await launched.exit).code).toBe(1);
    expect(launched.output()).toMatch(/refused (user|the password of user) no_such_role_sgx/);
    expect(launched.output()).not.toContain('not-the-password');
    expect(launched.output()).not.toContain('no server answers');
  });

  it('tells a URL that is not a PostgreSQL URL', async () => {
    const launched = check('mysql://someone@127.0.0.1/db');
    expect((await launched.exit).code).toBe(1);
    expect(launched.output()).toContain('DATABASE_URL must start with postgres://');
  });

  it('accepts the test database', async () => {
    const launched = check(testUrl.toString());
    expect((await launched.exit).code).toBe(0);
    expect(launched.output()).toContain(`accepts user ${testUrl.username}`);
  });
});
