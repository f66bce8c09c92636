/**
 * One workspace per feature: a clone of the project's repository on the feature's branch.
 * Agent runs of the feature reuse it, so the coder's commits are what the reviewer and tester see.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
    await git(dir, ['checkout', '--quiet', '-B', branch]);
  } else if ((await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])) !== branch) {
    await git(dir, ['checkout', '--quiet', branch]);
  }
  return dir;
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
