/**
 * Keeps the agent away from the runner's credentials. The runner holds the run token (and, in
 * warm mode, its M2M client); Claude Code and every tool it starts run in a separate
 * process tree that cannot read the runner's environ, cmdline, memory or fds:
 * - `sandbox` (local driver, inside bubblewrap): a nested bwrap with its own user and PID
 *   namespace and a fresh /proc (the runner's pids do not exist there), a fresh /tmp, only the
 *   workspace writable, no capabilities; the network namespace is shared so the egress bridge
 *   still serves the agent.
 * - `user` (ECS image): a separate unprivileged uid through a setuid helper only the runner's
 *   group may execute (setpriv); /proc of another uid's process is closed to it.
 * - `none`: the runner is itself unsandboxed on the host (COMPUTE_SANDBOX=off, tests); nothing
 *   to separate.
 * Everything that executes workspace content — Claude Code and the runner's own git calls, which
 * read the agent-written `.git/config` — goes through `isolatedArgv`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import type { SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import { OmakaseError } from '@omakase/domain';
import { hostVariable } from './host-env';

const exec = promisify(execFile);

export const AGENT_ISOLATION_MODES = ['sandbox', 'user', 'none'] as const;
export type AgentIsolationMode = (typeof AGENT_ISOLATION_MODES)[number];

export interface AgentIsolation {
  mode: AgentIsolationMode;
  /** The only directory the agent may write (besides its private /tmp). */
  workspace: string;
  /** `sandbox`: the bubblewrap binary. */
  bwrap?: string;
  /** `user`: the setuid setpriv helper and the agent's identity. */
  user?: { helper: string; uid: number; gid: number; home: string };
}

export class IsolationError extends OmakaseError<'ISOLATION_ERROR'> {
  constructor(message: string) {
    super('ISOLATION_ERROR', message);
  }
}

const DEFAULT_BWRAP = '/usr/bin/bwrap';
/** `sh -c` prelude for `user` mode: a private HOME, then the command itself. */
const USER_PRELUDE = 'umask 077; [ -z "$HOME" ] || mkdir -p "$HOME" || exit 126; exec "$@"';

/** `[command, ...args]` that runs `argv` with `cwd` as its working directory, isolated. */
export function isolatedArgv(iso: AgentIsolation, argv: string[], cwd: string): string[] {
  if (iso.mode === 'none') return argv;
  if (iso.mode === 'sandbox') {
    return [
      iso.bwrap ?? DEFAULT_BWRAP,
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      '--bind',
      iso.workspace,
      iso.workspace,
      '--chdir',
      cwd,
      '--unshare-user',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--cap-drop',
      'ALL',
      '--die-with-parent',
      '--new-session',
      '--',
      ...argv,
    ];
  }
  const user = requireUser(iso);
  return [
    user.helper,
    `--reuid=${user.uid}`,
    `--regid=${user.gid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--no-new-privs',
    '--pdeathsig=KILL',
    '--',
    '/bin/sh',
    '-c',
    USER_PRELUDE,
    'agent',
    ...argv,
  ];
}

/**
 * Environment additions the agent's process needs under `iso`: in `user` mode its own HOME and
 * git's permission to work in a tree another uid owns (the workspace).
 */
export function isolationEnv(iso: AgentIsolation): Record<string, string> {
  if (iso.mode !== 'user') return {};
  return {
    HOME: requireUser(iso).home,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: iso.workspace,
  };
}

/**
 * Fails closed: proves, before anything of the workspace runs, that an isolated process really
 * cannot see the runner (`sandbox`: the runner's pid is absent from its /proc; `user`: it runs
 * under another uid). Throws an IsolationError saying what failed.
 */
export async function verifyIsolation(iso: AgentIsolation): Promise<void> {
  if (iso.mode === 'none') return;
  const probe = 'id -u; readlink /proc/self/ns/pid; readlink /proc/1/ns/pid || true';
  const [command, ...args] = isolatedArgv(iso, ['/bin/sh', '-c', probe], iso.workspace) as [
    string,
    ...string[],
  ];
  let lines: string[];
  try {
    const { stdout } = await exec(command, args, {
      cwd: iso.workspace,
      env: { PATH: hostVariable('PATH') ?? '/usr/bin:/bin', HOME: isolationEnv(iso).HOME ?? '/tmp' },
      timeout: 10_000,
    });
    lines = stdout.trim().split('\n');
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new IsolationError(
      `agent isolation (${iso.mode}) could not be established, so the agent was not started: ${detail}`,
    );
  }
  const [uid, ownNs, initNs] = [Number(lines[0]), lines[1], lines[2]];
  const fail = (why: string) =>
    new IsolationError(`agent isolation (${iso.mode}) could not be established: ${why}`);
  if (iso.mode === 'sandbox') {
    // Its own PID namespace, and a /proc of that namespace (pid 1 is its own init, not ours).
    if (!ownNs || ownNs === readlinkSync('/proc/self/ns/pid') || initNs !== ownNs)
      throw fail('the agent would share the runner’s PID namespace or /proc');
  } else if (uid !== iso.user?.uid || uid === process.getuid?.() || uid === 0) {
    throw fail(`the agent would run as uid ${uid}, not ${iso.user?.uid}`);
  }
}

/**
 * The SDK's `spawnClaudeCodeProcess`: Claude Code starts isolated, with exactly the SDK's
 * stdio (no other fd of the runner) and the SDK's environment (the agent's, never the runner's).
 */
export function isolatedSpawner(
  iso: AgentIsolation,
  onStderr: (text: string) => void,
): (options: SpawnOptions) => SpawnedProcess {
  return (options) => {
    const cwd = options.cwd ?? iso.workspace;
    const [command, ...args] = isolatedArgv(iso, [options.command, ...options.args], cwd) as [
      string,
      ...string[],
    ];
    const child = spawn(command, args, {
      cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stderr?.setEncoding('utf8').on('data', onStderr);
    const kill = (signal: NodeJS.Signals) => killIsolated(iso, child, signal);
    if (options.signal.aborted) kill('SIGKILL');
    else options.signal.addEventListener('abort', () => kill('SIGKILL'), { once: true });
    return Object.assign(child, { kill }) as unknown as SpawnedProcess;
  };
}

/**
 * `sandbox`: the bwrap process is ours; its death takes the whole PID namespace along.
 * `user`: the runner may not signal another uid, so the signal is sent as the agent uid to every
 * process of that uid (the whole agent tree, daemonised ones too).
 */
function killIsolated(iso: AgentIsolation, child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  if (iso.mode !== 'user') return child.kill(signal);
  const name = /^SIG([A-Z0-9]+)$/.exec(signal)?.[1] ?? 'KILL';
  const [command, ...args] = isolatedArgv(iso, ['/bin/sh', '-c', `kill -s ${name} -- -1`], '/');
  spawn(command as string, args, { stdio: 'ignore', cwd: '/', env: { PATH: '/usr/bin:/bin', HOME: '/' } })
    .on('error', () => {})
    .unref();
  return true;
}

function requireUser(iso: AgentIsolation): NonNullable<AgentIsolation['user']> {
  if (!iso.user) throw new IsolationError('agent isolation (user) needs the agent user and helper');
  return iso.user;
}
