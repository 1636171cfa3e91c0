/**
 * What every start command (`npm start`, `npm test`) needs to stop cleanly, in one place.
 *
 * - Steps and long-running children are spawned asynchronously: a signal is handled at once,
 *   never after a blocking spawnSync has finished (Ctrl-C during the build used to do nothing).
 * - Each child leads its own process group, so one SIGTERM reaches everything it spawned (tsc,
 *   jest's service processes) and a terminal's Ctrl-C reaches only this process, which then
 *   stops each child exactly once instead of every process getting the signal twice.
 * - On SIGINT, SIGTERM or SIGHUP, on a failed step, on a service exiting on its own, or when the
 *   parent (npm) goes away, everything started is stopped in reverse order of starting, and the
 *   command says what it stopped and what it leaves running.
 */
const { spawn } = require('node:child_process');

const STOP_GRACE_MS = 15_000;
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

class Supervisor {
  /**
   * @param {string} name the command as the user typed it, e.g. 'npm start'
   * @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
   */
  constructor(name, { cwd, env }) {
    this.name = name;
    this.cwd = cwd;
    this.env = env;
    /** @type {Map<string, import('node:child_process').ChildProcess>} */
    this.children = new Map();
    /** @type {{ title: string, stop: () => Promise<void> }[]} */
    this.cleanups = [];
    /** @type {string[]} */
    this.leftRunning = [];
    /** @type {string[]} */
    this.stopped = [];
    this.stopping = false;

    for (const signal of Object.keys(SIGNAL_EXIT_CODES)) {
      process.on(signal, () => {
        void this.stop(SIGNAL_EXIT_CODES[signal], `${signal} received`);
      });
    }
    // npm killed with SIGKILL (or a SIGTERM it did not pass on) leaves this process orphaned:
    // notice it and stop rather than keep the stack running with nobody to stop it.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void this.stop(1, 'the parent process went away');
    }, 1_000).unref();
  }

  /**
   * Runs one step to completion; a failure stops everything started so far, unless
   * `mayFail` is set, in which case the exit code is returned for the caller to decide.
   */
  async step(title, command, args, options = {}) {
    console.log(`\n== ${title}`);
    const child = this.spawnChild(title, command, args, options);
    const { code, signal } = await exited(child);
    this.children.delete(title);
    // Interrupted: stop() is under way and exits the process; the caller's next step never runs.
    if (this.stopping) await new Promise(() => {});
    if (code !== 0 && !options.mayFail) {
      await this.stop(code || 1, `${title} failed (exit ${code ?? signal})`);
    }
    return code ?? 1;
  }

  /** Starts a child that should keep running; its exiting on its own stops everything. */
  service(name, command, args, options = {}) {
    const child = this.spawnChild(name, command, args, options);
    void exited(child).then(({ code, signal }) => {
      this.children.delete(name);
      if (!this.stopping) void this.stop(1, `${name} exited on its own (${code ?? signal})`);
    });
    return child;
  }

  /** Registers what to undo on stop (e.g. the broker this command started), last first. */
  onStop(title, stop) {
    this.cleanups.push({ title, stop });
  }

  /** Records something this command deliberately leaves running, said when it exits. */
  leaves(description) {
    this.leftRunning.push(description);
  }

  /**
   * Stops every child (SIGTERM to its group, SIGKILL after a grace period), runs the cleanups,
   * says what it stopped and left running, then `epilogue` (a closing line), and exits.
   */
  async stop(code, reason, epilogue) {
    if (this.stopping) return;
    this.stopping = true;
    if (reason) console.log(`\n${this.name}: ${reason}; stopping what it started`);
    const running = [...this.children.entries()].reverse();
    for (const [, child] of running) signalGroup(child, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (this.children.size > 0 && Date.now() < deadline) await sleep(100);
    for (const [name, child] of this.children) {
      console.log(`${this.name}: ${name} did not stop within ${STOP_GRACE_MS / 1000}s; killing it`);
      signalGroup(child, 'SIGKILL');
    }
    this.stopped.push(...running.map(([name]) => name));
    for (const cleanup of [...this.cleanups].reverse()) {
      try {
        await cleanup.stop();
        this.stopped.push(cleanup.title);
      } catch (error) {
        console.error(`${this.name}: could not stop ${cleanup.title}: ${error.message}`);
        this.leftRunning.push(`${cleanup.title} (stopping it failed)`);
      }
    }
    this.report();
    epilogue?.();
    process.exit(code);
  }

  report() {
    if (this.stopped.length) console.log(`${this.name}: stopped ${this.stopped.join(', ')}`);
    console.log(
      `${this.name}: left running: ${this.leftRunning.length ? this.leftRunning.join('; ') : 'nothing'}`,
    );
  }

  spawnChild(name, command, args, options) {
    const child = spawn(command, args, {
      cwd: this.cwd,
      env: options.env ?? this.env,
      stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    child.on('error', (error) => console.error(`${this.name}: ${name}: ${error.message}`));
    this.children.set(name, child);
    return child;
  }
}

/** Runs a command to completion without a supervisor (cleanups that must not be interrupted). */
async function runToEnd(command, args, { cwd, env, stdio = ['ignore', 'inherit', 'inherit'] }) {
  const child = spawn(command, args, { cwd, env, stdio });
  const { code, signal } = await exited(child);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code ?? signal}`);
}

function exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 1, signal: null }));
  });
}

function signalGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone: the group has no process left.
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = { Supervisor, runToEnd };
