/**
 * Runs one shell command of the project (setup, tests) the way the platform runs them: through
 * `argvWrapper` (the run's isolation), in its own process group — killed whole on timeout, on
 * abort, and once the command has exited, so a daemon it left cannot hold the pipes open — with
 * the tail of its interleaved output kept and every chunk handed to `onOutput`.
 */
import { spawn } from 'node:child_process';
import { BoundedCapture, OutputTail } from './test-verdict/output-buffer';

export interface CommandOptions {
  command: string;
  cwd: string;
  /** `isolatedArgv` bound to the run's isolation; identity in tests. */
  argvWrapper: (argv: string[], cwd: string) => string[];
  /** The command's whole environment (nothing of the runner's is added). */
  env: Record<string, string>;
  timeoutMs: number;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

export interface CommandOutcome {
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  tail: OutputTail;
  /** stdout whole, up to `captureStdoutChars` (TAP parsing). */
  stdout: BoundedCapture;
}

export function runCommand(
  opts: CommandOptions,
  limits: { tailBytes: number; captureStdoutChars: number },
): Promise<CommandOutcome> {
  const [file, ...args] = opts.argvWrapper(['/bin/bash', '-c', opts.command], opts.cwd) as [
    string,
    ...string[],
  ];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outcome: CommandOutcome = {
      exitCode: null,
      timedOut: false,
      aborted: false,
      durationMs: 0,
      tail: new OutputTail(limits.tailBytes),
      stdout: new BoundedCapture(limits.captureStdoutChars),
    };
    // detached: the child leads a new process group, so one signal reaches all it started.
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is gone already.
      }
    };
    const onAbort = () => {
      outcome.aborted = true;
      killGroup();
    };
    const timer = setTimeout(() => {
      outcome.timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].setEncoding('utf8').on('data', (chunk: string) => {
        outcome.tail.push(chunk);
        if (stream === 'stdout') outcome.stdout.push(chunk);
        opts.onOutput?.(chunk, stream);
      });
    }
    const finish = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      outcome.durationMs = Math.round(performance.now() - started);
    };
    child.on('error', (error) => {
      finish();
      reject(error);
    });
    child.on('exit', (code) => {
      outcome.exitCode = code;
      killGroup(); // leftovers of the finished command (servers, watchers)
    });
    child.on('close', () => {
      finish();
      resolve(outcome);
    });
  });
}
