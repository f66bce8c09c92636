/**
 * Runs each agent as a local child process, sandboxed with bubblewrap when the host allows it.
 * The child receives only the plain configuration of its spec as environment (nothing of the
 * host's leaks in); its credentials arrive on stdin (JSON, then EOF), so they are in no process
 * environment. Sandboxed runners start their agent in a nested sandbox (`OMAKASE_AGENT_ISOLATION=
 * sandbox`, see apps/agent-runner/src/agent-isolation.ts) and fail the run if they cannot.
 * Sandboxed runs have no network of their own: each gets an egress proxy that reaches only the
 * platform API and the model endpoint. Unsandboxed runs (bubblewrap unusable, or
 * COMPUTE_SANDBOX=off) have the host's full network and filesystem view: a loud warning says so.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import {
  type Destination,
  type EgressProxy,
  egressAllowlist,
  isLoopback,
  startEgressProxy,
} from './egress-proxy';
import {
  EGRESS_SOCKET_IN_SANDBOX,
  SANDBOX_GID,
  SANDBOX_UID,
  sandboxAvailable,
  sandboxedCommand,
} from './sandbox';
import type { ComputeDriver, ComputeExit, ComputeSpec, ComputeStatus, RunHandle } from './types';

export interface LocalProcessDriverOptions {
  /** The command that starts one runner, e.g. `[process.execPath, '--import', 'tsx', '<runner main.ts>']`. */
  runnerCommand: string[];
  /** Directories hidden from sandboxed runs (the platform's data dir). */
  hiddenDirs: string[];
  /** `auto` uses bubblewrap when it works here; `off` runs plain child processes. */
  sandbox: 'auto' | 'required' | 'off';
  /** Grace period between SIGTERM and SIGKILL on stop. */
  stopGraceMs?: number;
  /** Destinations (`host:port`) every sandboxed run may reach besides the API and model endpoint. */
  extraEgress?: Destination[];
  logger: Logger;
}

interface LocalRun {
  spec: ComputeSpec;
  child: ChildProcess;
  innerPid: number | null;
  stopping: boolean;
  exited: ComputeStatus | null;
  egress: EgressProxy | null;
}

const SETPRIV = '/usr/bin/setpriv';
const BASE_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };

export class LocalProcessDriver implements ComputeDriver {
  readonly name = 'local';
  readonly sandboxed: boolean;
  private readonly runs = new Map<RunHandle, LocalRun>();
  private readonly listeners: ((exit: ComputeExit) => void)[] = [];

  constructor(private readonly opts: LocalProcessDriverOptions) {
    this.sandboxed = opts.sandbox !== 'off' && sandboxAvailable();
    if (opts.sandbox === 'required' && !this.sandboxed) {
      throw new Error('COMPUTE_SANDBOX=required but bubblewrap is not usable on this host');
    }
    if (!this.sandboxed)
      opts.logger.warn(
        'agent runs are NOT sandboxed (bubblewrap unavailable or COMPUTE_SANDBOX=off): they run as this user with the host network',
      );
  }

  async start(spec: ComputeSpec): Promise<RunHandle> {
    let env: Record<string, string> = {
      ...BASE_ENV,
      HOME: '/tmp',
      ...spec.env,
      OMAKASE_SECRETS_STDIN: '1',
      // Unsandboxed, the runner is this host user anyway: there is nothing to separate the agent from.
      OMAKASE_AGENT_ISOLATION: this.sandboxed ? 'sandbox' : 'none',
    };
    let argv = this.opts.runnerCommand;
    let egress: EgressProxy | null = null;
    if (this.sandboxed) {
      for (const dir of [spec.workspaceDir, ...(spec.writableBinds ?? [])])
        await chownTree(dir, SANDBOX_UID, SANDBOX_GID);
      for (const dir of [spec.workspaceDir, ...(spec.writableBinds ?? [])])
        await ensureTraversable(dirname(dir));
      const log = this.opts.logger.child({ runId: spec.runId });
      egress = await startEgressProxy(this.allowlist(spec), log);
      env = { ...env, ...bridgeEnv(egress.allowed) };
      argv = sandboxedCommand(argv, {
        workspaceDir: spec.workspaceDir,
        hiddenDirs: this.opts.hiddenDirs,
        writableBinds: spec.writableBinds,
        egressSocket: egress.socketPath,
      });
    } else if (existsSync(SETPRIV)) {
      // bwrap's --die-with-parent does this in the sandbox: a killed orchestrator takes its runs along.
      argv = [SETPRIV, '--pdeathsig', 'KILL', '--', ...argv];
    }
    const [command, ...args] = argv as [string, ...string[]];
    const child = spawn(command, args, {
      env,
      cwd: spec.workspaceDir,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    child.stdin?.on('error', () => {}); // a runner that died before reading: its exit is reported
    child.stdin?.end(JSON.stringify(spec.secrets));
    const handle: RunHandle = `local:${spec.runId}:${child.pid}`;
    const run: LocalRun = { spec, child, innerPid: null, stopping: false, exited: null, egress };
    this.runs.set(handle, run);
    this.watch(handle, run);
    return handle;
  }

  async stop(handle: RunHandle): Promise<void> {
    const run = this.runs.get(handle);
    if (!run || run.exited) return;
    run.stopping = true;
    // The runner handles SIGTERM (abort, flush, report); the sandbox wrapper would not forward it.
    signal(run.innerPid ?? run.child.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(run.child.pid, 'SIGKILL'), this.opts.stopGraceMs ?? 3000);
    timer.unref();
  }

  async status(handle: RunHandle): Promise<ComputeStatus> {
    const run = this.runs.get(handle);
    if (!run) return { state: 'unknown' };
    return run.exited ?? { state: 'running' };
  }

  onExit(listener: (exit: ComputeExit) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    for (const [handle, run] of this.runs) {
      if (!run.exited) signalGroup(run.child.pid, 'SIGKILL');
      await run.egress?.close();
      this.runs.delete(handle);
    }
  }

  /** What a run needs: the platform API (spec, events, result) and its model endpoint. */
  private allowlist(spec: ComputeSpec): Destination[] {
    return egressAllowlist({
      apiUrl: spec.env.OMAKASE_API_URL,
      modelBaseUrl: spec.env.ANTHROPIC_BASE_URL,
      extra: [...(this.opts.extraEgress ?? []), ...(spec.egress ?? [])],
    });
  }

  private watch(handle: RunHandle, run: LocalRun): void {
    const log = this.opts.logger.child({ runId: run.spec.runId, role: run.spec.role });
    run.child.stdout?.on('data', (chunk: Buffer) => log.debug({ out: chunk.toString().trimEnd() }, 'runner'));
    run.child.stderr?.on('data', (chunk: Buffer) => log.info({ err: chunk.toString().trimEnd() }, 'runner'));
    const info = run.child.stdio[3];
    info?.on('data', (chunk: Buffer) => {
      const pid = /"child-pid":\s*(\d+)/.exec(chunk.toString())?.[1];
      if (pid) run.innerPid = Number(pid);
    });
    run.child.on('error', (error) => {
      log.error({ err: error }, 'runner failed to spawn');
      void run.egress?.close();
    });
    run.child.on('exit', (code, sig) => {
      const reason = run.stopping ? 'stopped' : code === 0 ? 'completed' : 'failed';
      run.exited = { state: 'exited', exitCode: code ?? null, reason };
      log.info({ code, signal: sig, reason, egressDenied: run.egress?.denied ?? 0 }, 'runner exited');
      void run.egress?.close();
      this.runs.delete(handle);
      const exit: ComputeExit = { handle, runId: run.spec.runId, exitCode: code ?? null, reason };
      for (const listener of this.listeners) listener(exit);
    });
  }
}

/**
 * Tells the runner's egress bridge what to mirror: loopback services keep their URLs (same
 * host:port inside the sandbox); remote ones go through a loopback HTTPS proxy port.
 */
function bridgeEnv(allowed: ReadonlySet<Destination>): Record<string, string> {
  const local = [...allowed].filter(isLoopback);
  const env: Record<string, string> = {
    OMAKASE_EGRESS_SOCKET: EGRESS_SOCKET_IN_SANDBOX,
    OMAKASE_EGRESS_FORWARD: local.join(','),
  };
  if (local.length === allowed.size) return env;
  const taken = new Set(local.map((d) => Number(d.slice(d.lastIndexOf(':') + 1))));
  let port = 3128;
  while (taken.has(port)) port++;
  const proxy = `http://127.0.0.1:${port}`;
  return {
    ...env,
    OMAKASE_EGRESS_PROXY_PORT: String(port),
    HTTPS_PROXY: proxy,
    HTTP_PROXY: proxy,
    NO_PROXY: 'localhost,127.0.0.1,::1',
  };
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid) signal(-pid, sig);
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  const info = await stat(dir);
  if (info.uid !== uid) await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid, gid);
    else if (!entry.isSymbolicLink()) {
      const s = await stat(path);
      if (s.uid !== uid) await chown(path, uid, gid);
    }
  }
}

/**
 * The sandbox user must be able to reach its workspace: grant search (x) — not listing — on
 * ancestors that lack it. Hidden directories are replaced by an empty tmpfs inside the sandbox anyway.
 */
async function ensureTraversable(dir: string): Promise<void> {
  for (let current = dir; current !== dirname(current); current = dirname(current)) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, (info.mode & 0o7777) | 0o001);
  }
}
