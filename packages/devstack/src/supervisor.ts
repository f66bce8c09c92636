/**
 * Runs the stack's child processes: prefixes their output with a coloured service name, restarts
 * one that exits unexpectedly (with backoff, when a restart policy is given) and reports the one
 * it gives up on, and stops them all (SIGTERM, then SIGKILL after a grace period).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { backoffMs } from '@omakase/domain';

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** The child's complete environment: nothing is inherited implicitly. */
  env: Record<string, string>;
}

export interface ChildExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** With a restart policy: the crashes within the policy's window, the last one included. */
  crashes?: number;
}

/**
 * A crashed service starts again after `backoffMs` (doubling per crash, capped at `maxBackoffMs`)
 * unless it crashed `maxCrashes` times within `windowMs`: then the supervisor gives up on it.
 */
export interface RestartPolicy {
  maxCrashes: number;
  windowMs: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export const NPM_START_RESTARTS: RestartPolicy = {
  maxCrashes: 5,
  windowMs: 60_000,
  backoffMs: 500,
  maxBackoffMs: 10_000,
};

const COLORS = [36, 35, 33, 32, 34, 91, 96];

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly exits = new Map<string, Promise<ChildExit>>();
  private stopping = false;
  private readonly crashTimes = new Map<string, number[]>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private reportExit: (exit: ChildExit) => void = () => {};
  /**
   * Resolves with the first child that exits while the supervisor is not stopping — without a
   * restart policy at its first exit, with one when it gives up on the child.
   */
  readonly unexpectedExit: Promise<ChildExit> = new Promise((resolve) => {
    this.reportExit = resolve;
  });

  constructor(
    private readonly opts: {
      write?: (line: string) => void;
      killAfterMs?: number;
      color?: boolean;
      restart?: RestartPolicy;
    } = {},
  ) {
    // Children live in their own process groups, so nothing else reaps them if we die abruptly.
    process.once('exit', () => {
      for (const child of this.children.values()) this.signal(child, 'SIGKILL');
    });
  }

  prefix(name: string): string {
    const width = 12;
    const label = name.padEnd(width).slice(0, width);
    if (this.opts.color === false) return `${label} │ `;
    const color = COLORS[[...name].reduce((sum, c) => sum + c.charCodeAt(0), 0) % COLORS.length];
    return `\x1b[${color}m${label}\x1b[0m │ `;
  }

  log(name: string, line: string): void {
    (this.opts.write ?? ((l: string) => process.stdout.write(`${l}\n`)))(`${this.prefix(name)}${line}`);
  }

  start(spec: ServiceSpec): ChildProcess {
    if (this.children.has(spec.name)) throw new Error(`service ${spec.name} already started`);
    // Own process group, so stopping reaches grandchildren (tsx and next spawn their own node).
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => this.log(spec.name, line));
    }
    const exit = new Promise<ChildExit>((resolve) => {
      child.once('error', (error) => {
        this.log(spec.name, `failed to start: ${error.message}`);
        resolve({ name: spec.name, code: null, signal: null });
      });
      child.once('exit', (code, signal) => resolve({ name: spec.name, code, signal }));
    });
    this.exits.set(spec.name, exit);
    void exit.then((result) => {
      this.children.delete(spec.name);
      if (this.stopping) return;
      // What the dead leader spawned (next's server, a sandbox) must not outlive it: it would
      // hold the port or the work the restarted service is about to take over.
      this.signal(child, 'SIGKILL');
      this.onUnexpectedExit(spec, result);
    });
    return child;
  }

  private onUnexpectedExit(spec: ServiceSpec, exit: ChildExit): void {
    const policy = this.opts.restart;
    if (!policy) {
      this.reportExit(exit);
      return;
    }
    const now = Date.now();
    const recent = [...(this.crashTimes.get(spec.name) ?? []), now].filter((t) => now - t < policy.windowMs);
    this.crashTimes.set(spec.name, recent);
    const how = exit.signal ?? `code ${exit.code}`;
    if (recent.length >= policy.maxCrashes) {
      this.log(
        spec.name,
        `exited (${how}) ${recent.length} times within ${policy.windowMs / 1000} s; giving up`,
      );
      this.reportExit({ ...exit, crashes: recent.length });
      return;
    }
    const delay = backoffMs(recent.length, { baseMs: policy.backoffMs, maxMs: policy.maxBackoffMs });
    this.log(
      spec.name,
      `exited (${how}); restarting in ${delay} ms (crash ${recent.length} of ${policy.maxCrashes})`,
    );
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (!this.stopping) this.start(spec);
    }, delay);
    this.restartTimers.add(timer);
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Stops every child: SIGTERM, then SIGKILL for those still running after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    const running = [...this.children.entries()];
    for (const [, child] of running) this.signal(child, 'SIGTERM');
    const grace = this.opts.killAfterMs ?? 5000;
    await Promise.all(
      running.map(async ([name, child]) => {
        const exit = this.exits.get(name) as Promise<ChildExit>;
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), grace);
        });
        if ((await Promise.race([exit, timedOut])) === 'timeout') {
          this.log(name, `did not stop within ${grace} ms; killing`);
          this.signal(child, 'SIGKILL');
          await exit;
        }
        clearTimeout(timer);
        // The leader may exit before its group; make sure nothing of the group survives.
        this.signal(child, 'SIGKILL');
      }),
    );
  }
}
