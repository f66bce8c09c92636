/**
 * A feature branch's diff against the project's default branch, read from the project's
 * repository when it is reachable from this server (a `file://` remote, as in the demo).
 * Safe by construction: git is spawned without a shell with fixed arguments, refs are
 * validated and fully qualified, the output is capped and the process time-limited.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FeatureDiffDto, isValidGitRef } from '@omakase/api-contract';
import type { Feature, Project } from '@omakase/domain';

export const MAX_DIFF_BYTES = 512 * 1024;
const TIMEOUT_MS = 10_000;

export async function featureDiff(project: Project, feature: Feature): Promise<FeatureDiffDto> {
  const base = project.defaultBranch;
  const branch = feature.branchName;
  const none = (unavailable: string): FeatureDiffDto => ({
    base,
    branch,
    diff: '',
    truncated: false,
    unavailable,
  });
  if (!branch) return none('The feature has no branch yet.');
  if (!isValidGitRef(branch) || !isValidGitRef(base) || branch.startsWith('-') || base.startsWith('-')) {
    return none('The branch name is not a valid git ref.');
  }
  if (!project.repositoryUrl.startsWith('file://')) {
    return none('Diffs are shown for repositories this server can read (file:// remotes).');
  }
  const repo = fileURLToPath(project.repositoryUrl);
  const result = await git(repo, [
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    `refs/heads/${base}...refs/heads/${branch}`,
    '--',
  ]);
  if (result.code !== 0 && !result.truncated) return none('The branch has not been pushed yet.');
  return { base, branch, diff: result.output, truncated: result.truncated, unavailable: null };
}

function git(
  cwd: string,
  args: string[],
): Promise<{ code: number | null; output: string; truncated: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('git', args, {
      cwd,
      shell: false,
      timeout: TIMEOUT_MS,
      env: {
        // The host's PATH, to find git: the one variable of ours git inherits (not configuration).
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: '/nonexistent',
      } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let truncated = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      const room = MAX_DIFF_BYTES - bytes;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        truncated = true;
        child.kill('SIGKILL');
      } else chunks.push(chunk);
      bytes += Math.min(chunk.length, room);
    });
    child.on('error', () => resolve({ code: -1, output: '', truncated: false }));
    child.on('close', (code: number | null) =>
      resolve({ code, output: Buffer.concat(chunks).toString('utf8'), truncated }),
    );
  });
}
