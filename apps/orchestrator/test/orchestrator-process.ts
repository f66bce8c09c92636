/**
 * The orchestrator as a real service process (`node --import tsx src/main.ts`) against a test
 * stack, for crash and scale-out tests: it can be SIGKILLed, and its JSON log is parsed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Stack } from './stack';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface LogLine {
  msg: string;
  runId?: string;
  handle?: string;
  [key: string]: unknown;
}

export interface OrchestratorProcess {
  id: string;
  child: ChildProcess;
  logs: LogLine[];
  /** Run ids this process started compute for, in order. */
  launches(): string[];
  /** Resolves with the first log line matching `match` (already logged or to come). */
  nextLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** The last 4,000 characters the process wrote to stderr. */
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface OrchestratorCommand {
  command: string;
  args: string[];
  /** The child's complete environment (nothing else of the test's is inherited). */
  env: Record<string, string>;
}

/**
 * How the orchestrator service is started against `stack` (for `spawnOrchestrator`, or a
 * supervisor's service spec). `env` adds to or overrides the defaults below; an empty value
 * removes a default.
 */
export function orchestratorCommand(
  stack: Stack,
  id: string,
  env: Record<string, string> = {},
): OrchestratorCommand {
  const merged: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DATABASE_URL: stack.databaseUrl,
    OMAKASE_API_URL: stack.web.url,
    RUN_TOKEN_SECRET: stack.runTokenSecret,
    OMAKASE_DATA_DIR: stack.dataDir,
    // Demo mode, as `npm start` runs it: no key, the scripted model, the org's own local repository.
    ANTHROPIC_BASE_URL: stack.model.url,
    OMAKASE_LOCAL_REPOSITORY_ORGS: stack.store.orgId,
    ORCHESTRATOR_ID: id,
    HEALTH_PORT: '0',
    LEASE_MS: '2000',
    LOG_LEVEL: 'info',
    ...env,
  };
  return {
    command: process.execPath,
    args: ['--import', import.meta.resolve('tsx'), MAIN],
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== '')),
  };
}

/** `env` adds to or overrides the defaults of `orchestratorCommand`; an empty value removes a default. */
export function spawnOrchestrator(
  stack: Stack,
  id: string,
  env: Record<string, string> = {},
): OrchestratorProcess {
  const { command, args, env: childEnv } = orchestratorCommand(stack, id, env);
  const child = spawn(command, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const waiters = new Set<(line: LogLine) => void>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const raw of lines) {
      if (!raw.startsWith('{')) continue;
      const line = JSON.parse(raw) as LogLine;
      logs.push(line);
      for (const waiter of waiters) waiter(line);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return {
    id,
    child,
    logs,
    launches: () => logs.filter((l) => l.msg === 'agent started').map((l) => String(l.runId)),
    nextLog(match, timeoutMs = 120_000) {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${id}: no matching log line in ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const waiter = (line: LogLine) => {
          if (!match(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(line);
        };
        waiters.add(waiter);
      });
    },
    exited,
    stderr: () => stderr,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
