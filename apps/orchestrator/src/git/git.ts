/**
 * Runs git as the orchestrator — only on repositories the orchestrator owns (the project mirrors,
 * and a workspace while it is being seeded, before any agent touched it). Never inside a
 * workspace an agent could write: nothing there (config, hooks, attributes) is trusted.
 */
import { spawn } from 'node:child_process';
import { OmakaseError } from '@omakase/domain';

export class GitError extends OmakaseError<'git_failed'> {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super('git_failed', message);
    this.name = 'GitError';
  }
}

/** Transports besides https that one call may use (each call names exactly what it needs). */
export type ExtraProtocol = 'file' | 'ssh';

export interface GitCall {
  /** The repository (`--git-dir`): git never discovers one from a working directory. */
  gitDir?: string;
  /** Working tree of `gitDir`, for the few calls that check files out (seeding only). */
  workTree?: string;
  /** Directory the process runs in; host-owned. */
  cwd?: string;
  /** Kills the whole process group (git and its transport helpers) after this long. */
  timeoutMs?: number;
  /** Extra config through git's environment (GIT_CONFIG_*): values never show in the process list. */
  config?: Record<string, string>;
  protocols?: ExtraProtocol[];
}

export const NETWORK_TIMEOUT_MS = 120_000;
const LOCAL_TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 16 * 1024 * 1024;

/**
 * Config set on every call (argv `-c` beats every config file, including a repository's own):
 * - `core.hooksPath=/dev/null`: no hook (pre-push, post-checkout, reference-transaction…) runs.
 * - `core.fsmonitor=false`, `core.untrackedCache=false`: fsmonitor is a command git would run.
 * - `diff.external=` (plus `--no-ext-diff --no-textconv` where diffs are made): no diff drivers.
 * - `core.sshCommand=ssh`: `GIT_SSH*`/config cannot swap in another program.
 * - `protocol.allow=never` + `protocol.https.allow=always`: `ext::`, `fd::`, plain http, git://
 *   and file are refused unless a call opts in (`ssh` for an ssh project URL, `file` for an
 *   allowed local repository, our mirror or a bundle we copied).
 * - `submodule.recurse=false`: no submodule is fetched or checked out.
 * - `credential.helper=` (empty): resets helpers, none is ever asked (nor a terminal: GIT_TERMINAL_PROMPT=0).
 * - `transfer.fsckObjects=true`: every object received is verified (index-pack) before use.
 * - `http.followRedirects=false`: a token header scoped to one host never follows a redirect elsewhere.
 * - `http.lowSpeedLimit/Time`: a host that stalls fails the call instead of holding a worker.
 * - `core.protectNTFS`/`core.protectHFS`: checkout refuses `.git` lookalike paths.
 * No `safe.directory=*`: every repository git touches here is owned by this process's user.
 */
const HARDENING = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.untrackedCache=false',
  'diff.external=',
  'core.sshCommand=ssh',
  'protocol.allow=never',
  'protocol.https.allow=always',
  'submodule.recurse=false',
  'credential.helper=',
  'transfer.fsckObjects=true',
  'http.followRedirects=false',
  'http.lowSpeedLimit=1000',
  'http.lowSpeedTime=30',
  'core.protectNTFS=true',
  'core.protectHFS=true',
];

/**
 * The environment is built from scratch: no system or global config (GIT_CONFIG_NOSYSTEM,
 * GIT_CONFIG_GLOBAL=/dev/null, HOME that does not exist, so no ~/.gitconfig, XDG config or
 * attributes), no askpass program, no replace refs, no terminal prompt.
 */
function environment(config: Record<string, string>): NodeJS.ProcessEnv {
  const entries = Object.entries(config);
  const env: NodeJS.ProcessEnv = {
    // The host's PATH, to find git: the one variable of ours the child inherits (not configuration).
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent/omakase-git-home',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CONFIG_COUNT: String(entries.length),
    LANG: 'C',
  };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

export function gitArgs(args: string[], call: GitCall = {}): string[] {
  const flags = HARDENING.concat((call.protocols ?? []).map((p) => `protocol.${p}.allow=always`));
  return [
    ...flags.flatMap((flag) => ['-c', flag]),
    ...(call.gitDir ? ['--git-dir', call.gitDir] : []),
    ...(call.workTree ? ['--work-tree', call.workTree] : []),
    ...args,
  ];
}

export function git(args: string[], call: GitCall = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitArgs(args, call), {
      cwd: call.cwd ?? '/',
      env: environment(call.config ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout also ends `git remote-https` and friends.
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    const timeoutMs = call.timeoutMs ?? LOCAL_TIMEOUT_MS;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT) out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GitError(`git ${args[0]} failed: ${error.message}`, ''));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0 && !timedOut) return resolve(Buffer.concat(out).toString('utf8').trim());
      const why = timedOut ? `timed out after ${Number((timeoutMs / 1000).toFixed(1))} s` : summarise(stderr);
      reject(new GitError(`git ${args[0]} failed: ${why}`, stderr));
    });
  });
}

function killGroup(pid: number | undefined) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The lines that say why (the remote's message, rejected refs, fatal errors), not git's boilerplate. */
function summarise(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const telling = lines.filter(
    (line) =>
      /^(remote:|! |fatal:)/.test(line) ||
      (line.startsWith('error:') && !/failed to push some refs/.test(line)),
  );
  return (telling.length > 0 ? telling.join('; ') : (lines.at(-1) ?? 'unknown error')).slice(0, 500);
}

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;

/**
 * The one extra transport a repository URL needs (none for https). Anything else — a leading
 * dash (an option to git), `ext::`, `http://`, `git://`, a bare local path — is refused here too,
 * whatever the API validated.
 */
export function protocolsFor(url: string): ExtraProtocol[] {
  if (url.startsWith('-')) throw new GitError(`repositoryUrl must not start with "-": ${url}`, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\x00-\x1f\x7f]/.test(url)) throw new GitError('repositoryUrl contains control characters', '');
  if (SCP_LIKE.test(url)) return ['ssh'];
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'https') return [];
  if (scheme === 'ssh') return ['ssh'];
  if (scheme === 'file') return ['file'];
  throw new GitError(`repositoryUrl must be an https://, ssh:// or file:// URL, got ${url}`, '');
}

/**
 * Fully qualified `refs/heads/<branch>` for a branch git would accept; refuses a leading dash and
 * anything `check-ref-format` would (defence in depth below the API's validation).
 */
export function branchRef(branch: string): string {
  if (
    !branch ||
    branch.startsWith('-') ||
    branch.length > 255 ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git forbids
    /[\x00-\x20\x7f~^:?*[\\]/.test(branch) ||
    /\.\.|@\{|\/\/|^\/|\/$|\.$|\.lock$/.test(branch) ||
    branch.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))
  ) {
    throw new GitError(`branch is not a valid git branch name: ${JSON.stringify(branch)}`, '');
  }
  return `refs/heads/${branch}`;
}

/**
 * Config sending `token` as an https header to the URL's own host only
 * (`http.https://host/.extraHeader`), never to any other host git might be sent to.
 */
export function tokenHeaderConfig(url: string, token: string | undefined): Record<string, string> {
  if (!token) return {};
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return { [`http.${parsed.origin}/.extraHeader`]: `Authorization: Basic ${basic}` };
}
