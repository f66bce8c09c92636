/**
 * One workspace per feature: a clone of the project's repository on the feature's branch.
 * Agent runs of the feature reuse it, so the coder's commits are what the reviewer and tester see.
 * Once the branch is pushed the workspace is removed; a feature that runs again later starts
 * from its pushed branch.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Feature, Project } from '@omakase/domain';
import { git } from './git';

export function workspacePath(root: string, feature: Pick<Feature, 'orgId' | 'id'>): string {
  return join(root, feature.orgId, feature.id);
}

export async function prepareWorkspace(root: string, project: Project, feature: Feature, branch: string) {
  const dir = workspacePath(root, feature);
  if (!existsSync(join(dir, '.git'))) {
    await mkdir(dirname(dir), { recursive: true });
    await git(dirname(dir), [
      'clone',
      '--quiet',
      '--branch',
      project.defaultBranch,
      project.repositoryUrl,
      dir,
    ]);
    // The branch may already be on the remote (pushed before its workspace was removed); the
    // clone fetched every branch, so a local ref lookup tells.
    const pushed = await git(dir, ['for-each-ref', '--format=%(refname)', `refs/remotes/origin/${branch}`]);
    await git(dir, ['checkout', '--quiet', '-B', branch, ...(pushed ? [`origin/${branch}`] : [])]);
  } else if ((await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])) !== branch) {
    await git(dir, ['checkout', '--quiet', branch]);
  }
  return dir;
}

/** Deletes the feature's workspace (if any); the path is checked to lie inside `root`. */
export async function removeWorkspace(root: string, feature: Pick<Feature, 'orgId' | 'id'>): Promise<void> {
  const dir = workspacePath(root, feature);
  const inside = relative(root, dir);
  if (!inside || inside.startsWith('..')) throw new Error(`refusing to remove ${dir}: not under ${root}`);
  await rm(dir, { recursive: true, force: true });
}

/** Pushes the feature branch to the project's remote (`origin`). */
/** `token` authenticates an https push (GitHub: the org's token) as a header, never in the URL. */
export async function pushBranch(dir: string, branch: string, token?: string): Promise<void> {
  const basic = token ? Buffer.from(`x-access-token:${token}`).toString('base64') : null;
  await git(
    dir,
    ['push', '--quiet', '--force-with-lease', 'origin', `${branch}:${branch}`],
    120_000,
    basic ? { 'http.extraHeader': `Authorization: Basic ${basic}` } : {},
  );
}
