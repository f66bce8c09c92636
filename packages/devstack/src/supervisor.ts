/**
 * Runs the stack's child processes: prefixes their output with a coloured service name, reports
 * the first unexpected exit, and stops them all (SIGTERM, then SIGKILL after a grace period).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

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
}

const COLORS = [36, 35, 33, 32, 34, 91, 96];

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly exits = new Map<string, Promise<ChildExit>>();
  private stopping = false;
  private reportExit: (exit: ChildExit) => void = () => {};
  /** Resolves with the first child that exits while the supervisor is not stopping. */
  readonly unexpectedExit: Promise<ChildExit> = new Promise((resolve) => {
    this.reportExit = resolve;
  });

  constructor(
    private readonly opts: { write?: (line: string) => void; killAfterMs?: number; color?: boolean } = {},
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
      if (!this.stopping) this.reportExit(result);
    });
    return child;
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
