/**
 * Leaves the feature branch as a git bundle at `.git/omakase/branch.bundle` when a run ends. The
 * orchestrator never runs git in the workspace: it copies this file out (as untrusted data) and
 * fetches it into its own mirror of the project, from where the branch is pushed.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from './workspace';

export const BUNDLE_RELATIVE_PATH = join('.git', 'omakase', 'branch.bundle');

/**
 * The commits of `branch` not on the default branch the workspace was seeded with. With none
 * (git refuses an empty bundle) the bundle holds just the tip commit, so the host still learns
 * where the branch points. Returns the bundle's path, or null when there is no such branch.
 */
export async function exportBundle(opts: {
  workspace: string;
  branch: string;
  defaultBranch: string;
}): Promise<string | null> {
  const head = `refs/heads/${opts.branch}`;
  const base = `refs/remotes/origin/${opts.defaultBranch}`;
  const resolves = (ref: string) =>
    git(opts.workspace, ['rev-parse', '--verify', '--quiet', '--end-of-options', ref]).then(
      () => true,
      () => false,
    );
  if (!(await resolves(head))) return null;
  let range = [head];
  if (await resolves(base)) {
    const ahead = Number(
      (await git(opts.workspace, ['rev-list', '--count', head, '--not', base, '--'])).trim(),
    );
    range = ahead > 0 ? [head, '--not', base] : ['-1', head];
  }
  const path = join(opts.workspace, BUNDLE_RELATIVE_PATH);
  const partial = `${path}.partial`;
  await mkdir(join(opts.workspace, '.git', 'omakase'), { recursive: true });
  await rm(partial, { force: true });
  await git(opts.workspace, ['bundle', 'create', '--quiet', partial, ...range]);
  await rename(partial, path);
  return path;
}
