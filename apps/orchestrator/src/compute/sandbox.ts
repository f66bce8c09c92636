/**
 * Builds the command that runs an agent inside a bubblewrap sandbox as an unprivileged user:
 * the root filesystem read-only, the platform's data directory (other workspaces, database,
 * secrets) hidden behind an empty tmpfs, only the run's workspace writable, a private /tmp and
 * HOME, its own PID namespace, and none of the host's environment (the caller passes the env).
 * Its own network namespace too (only loopback): the one way out is the egress proxy's unix
 * socket, bound in at EGRESS_SOCKET_IN_SANDBOX (see egress-proxy.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SANDBOX_UID = 65534; // nobody
export const SANDBOX_GID = 65534;
/** Inside the sandbox's private /tmp; a mount point, so the agent cannot replace it. */
export const EGRESS_SOCKET_IN_SANDBOX = '/tmp/.omakase-egress.sock';

export interface SandboxOptions {
  workspaceDir: string;
  /** Directories to hide entirely (e.g. the data dir holding every workspace and the database). */
  hiddenDirs: string[];
  /** Extra read-only binds that must stay visible inside hidden dirs (rarely needed). */
  readOnlyBinds?: string[];
  /** Extra writable binds (a setup run's cache staging directory). */
  writableBinds?: string[];
  /** Host path of the run's egress proxy socket; without it the run has no network at all. */
  egressSocket?: string;
}

export function sandboxAvailable(): boolean {
  if (!existsSync('/usr/bin/bwrap') || !existsSync('/usr/bin/setpriv')) return false;
  const probe = spawnSync(
    '/usr/bin/bwrap',
    ['--ro-bind', '/', '/', '--unshare-pid', '--unshare-net', '/bin/true'],
    {
      stdio: 'ignore',
      timeout: 5000,
    },
  );
  return probe.status === 0;
}

/** `[command, ...args]` to exec `argv` sandboxed; bubblewrap reports the inner pid on fd 3. */
export function sandboxedCommand(argv: string[], opts: SandboxOptions): string[] {
  const binds = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  binds.push('--tmpfs', '/root');
  for (const dir of opts.hiddenDirs) binds.push('--tmpfs', dir);
  for (const dir of opts.readOnlyBinds ?? []) binds.push('--ro-bind', dir, dir);
  binds.push('--bind', opts.workspaceDir, opts.workspaceDir);
  for (const dir of opts.writableBinds ?? []) binds.push('--bind', dir, dir);
  if (opts.egressSocket) binds.push('--bind', opts.egressSocket, EGRESS_SOCKET_IN_SANDBOX);
  return [
    '/usr/bin/setpriv',
    `--reuid=${SANDBOX_UID}`,
    `--regid=${SANDBOX_GID}`,
    '--clear-groups',
    '/usr/bin/bwrap',
    ...binds,
    '--chdir',
    opts.workspaceDir,
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    '--new-session',
    '--info-fd',
    '3',
    '--',
    ...argv,
  ];
}
