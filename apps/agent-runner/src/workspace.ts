import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { OmakaseError } from '@omakase/domain';
import { type AgentIsolation, isolatedArgv, isolationEnv } from './agent-isolation';
import { hostVariables } from './host-env';

const exec = promisify(execFile);

export class WorkspaceError extends OmakaseError<'WORKSPACE_ERROR'> {
  constructor(message: string) {
    super('WORKSPACE_ERROR', message);
  }
}

let isolation: AgentIsolation | null = null;

/**
 * From now on every git call runs isolated like the agent: the workspace's `.git/config` is the
 * agent's (fsmonitor, filters, diff drivers are commands git would run), so git here must not be
 * able to see this process's credentials either.
 */
export function isolateWorkspaceGit(iso: AgentIsolation): void {
  isolation = iso;
}

/** Git with no user/system config and no hooks: the workspace content is untrusted. */
export async function git(
  cwd: string,
  args: string[],
  author?: { name: string; email: string },
): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...hostVariables('PATH', 'HOME'),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    ...(isolation && isolationEnv(isolation)),
    ...(author && {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
    }),
  };
  try {
    const argv = ['git', '-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', ...args];
    const [command, ...rest] = (isolation ? isolatedArgv(isolation, argv, cwd) : argv) as [
      string,
      ...string[],
    ];
    const { stdout } = await exec(command, rest, {
      cwd,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    throw new WorkspaceError(
      `git ${args[0]} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`,
    );
  }
}

/**
 * Makes `dir` a checkout of `branch`: clones `repositoryUrl` when `dir` is empty, then checks
 * the branch out (from origin when it exists there, else created from the default branch).
 */
export async function prepareWorkspace(opts: {
  dir: string;
  repositoryUrl: string;
  defaultBranch: string;
  branch: string;
}): Promise<void> {
  await mkdir(opts.dir, { recursive: true });
  if ((await readdir(opts.dir)).length === 0)
    await git(opts.dir, ['clone', '--quiet', opts.repositoryUrl, '.']);
  const current = (await git(opts.dir, ['branch', '--show-current'])).trim();
  if (current === opts.branch) return;
  const has = async (ref: string) =>
    git(opts.dir, ['rev-parse', '--verify', '--quiet', ref]).then(
      () => true,
      () => false,
    );
  if (await has(`refs/heads/${opts.branch}`)) await git(opts.dir, ['checkout', '--quiet', opts.branch]);
  else if (await has(`refs/remotes/origin/${opts.branch}`))
    await git(opts.dir, ['checkout', '--quiet', '-b', opts.branch, `origin/${opts.branch}`]);
  else await git(opts.dir, ['checkout', '--quiet', '-b', opts.branch, opts.defaultBranch]);
}

export const diffStat = (dir: string, base: string) => git(dir, ['diff', '--stat', `${base}...HEAD`]);

/** The branch's own commits (a retried run's partial work), newest first, at most 50. */
export const branchCommits = (dir: string, base: string) =>
  git(dir, ['log', '--oneline', '--no-decorate', '-n', '50', `${base}..HEAD`]);

export const CODER_AUTHOR = { name: 'Omakase Coder', email: 'coder@omakase.local' } as const;

/** Commits everything the coder changed; returns the new commit, or null if the tree was clean. */
export async function commitAll(
  dir: string,
  message: string,
): Promise<{ sha: string; files: string[] } | null> {
  if ((await git(dir, ['status', '--porcelain'])).trim() === '') return null;
  await git(dir, ['add', '-A']);
  return commitStaged(dir, message, CODER_AUTHOR);
}

/** Commits just `paths` (the tester's test files); null when they hold no change. */
export async function commitPaths(
  dir: string,
  paths: string[],
  message: string,
  author: { name: string; email: string },
): Promise<{ sha: string; files: string[] } | null> {
  await git(dir, ['add', '-A', '--', ...paths.map((path) => `:(literal)${path}`)]);
  if ((await git(dir, ['diff', '--cached', '--name-only'])).trim() === '') return null;
  return commitStaged(dir, message, author);
}

async function commitStaged(dir: string, message: string, author: { name: string; email: string }) {
  await git(dir, ['commit', '--quiet', '--no-verify', '-m', message], author);
  const sha = (await git(dir, ['rev-parse', 'HEAD'])).trim();
  const files = (await git(dir, ['show', '--name-only', '--format=', 'HEAD']))
    .trim()
    .split('\n')
    .filter(Boolean);
  return { sha, files };
}

/** Where the checkout's branch forked from the default branch (the commit its baseline is run on). */
export const baseCommitOf = async (dir: string, defaultBranch: string) =>
  (await git(dir, ['merge-base', 'HEAD', `refs/heads/${defaultBranch}`])).trim();
