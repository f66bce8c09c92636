/**
 * One workspace per feature: a checkout of the project on the feature's branch, which the agent
 * runs of that feature share (the coder's commits are what the reviewer and tester see).
 *
 * The host runs git only while *seeding* a workspace: a fresh directory nobody else has touched,
 * filled from the project's mirror. Once it exists it belongs to the agent (it is chowned to the
 * sandbox user) and the host never runs git in it again; the runner switches branches itself.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Feature, Project } from '@omakase/domain';
import { branchRef, GitError, git } from './git';
import { featureRef, type Mirrors } from './mirror';

export function workspacePath(root: string, feature: Pick<Feature, 'orgId' | 'id'>): string {
  return join(root, feature.orgId, feature.id);
}

/** A workspace exists when its directory (not a symlink) holds a `.git` entry of any kind. */
async function seeded(dir: string): Promise<boolean> {
  const info = await lstat(dir).catch(() => null);
  if (!info?.isDirectory()) return false;
  return (await lstat(join(dir, '.git')).catch(() => null)) !== null;
}

export async function prepareWorkspace(
  root: string,
  mirrors: Mirrors,
  project: Project,
  feature: Feature,
  branch: string,
): Promise<string> {
  const dir = workspacePath(root, feature);
  if (await seeded(dir)) return dir;
  const orgDir = join(root, feature.orgId);
  await mkdir(orgDir, { recursive: true });
  // Seeded beside its final place and renamed in: a crash mid-clone never leaves a half workspace.
  const fresh = join(orgDir, `.seeding-${feature.id}-${randomBytes(6).toString('hex')}`);
  try {
    await seedFromMirror(mirrors, project, feature, branch, fresh);
    await removeWorkspace(root, feature);
    await rename(fresh, dir);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
  return dir;
}

/**
 * `git init` + fetch from the mirror (a pack transfer: no object file is shared with the mirror,
 * which matters because the tree is chowned to the sandbox user), then the feature branch from
 * the harvested work, else the pushed branch, else the default branch. The workspace gets
 * `refs/remotes/origin/*` as a clone would (the runner's bundle is cut against the default one).
 */
async function seedFromMirror(
  mirrors: Mirrors,
  project: Project,
  feature: Feature,
  branch: string,
  fresh: string,
): Promise<void> {
  const target = branchRef(branch);
  const base = branchRef(project.defaultBranch);
  const remoteBase = `refs/remotes/origin/${project.defaultBranch}`;
  const remoteBranch = `refs/remotes/origin/${branch}`;
  await git(['init', '--quiet', `--initial-branch=${branch}`, '--', fresh]);
  const local = { gitDir: join(fresh, '.git'), workTree: fresh, cwd: fresh };
  await mirrors.exclusive(project, async (mirror) => {
    await mirrors.refresh(project, mirror);
    if (!(await mirrors.resolve(mirror, remoteBase)))
      throw new GitError(`the repository has no branch ${project.defaultBranch}`, '');
    const harvested = await mirrors.resolve(mirror, featureRef(feature));
    await git(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--',
        `file://${mirror}`,
        '+refs/remotes/origin/*:refs/remotes/origin/*',
        ...(harvested ? [`+${featureRef(feature)}:refs/omakase/seed`] : []),
      ],
      { ...local, protocols: ['file'] },
    );
  });
  const hasRef = (ref: string) =>
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', ref], local).then(
      (sha) => sha || null,
      () => null,
    );
  const start =
    (await hasRef('refs/omakase/seed')) ?? (await hasRef(remoteBranch)) ?? (await hasRef(remoteBase));
  await git(['update-ref', '--', base, (await hasRef(remoteBase))!], local);
  await git(['update-ref', '--', target, start!], local);
  await git(['checkout', '--quiet', '--force', branch, '--'], local);
  await git(['update-ref', '-d', '--', 'refs/omakase/seed'], local).catch(() => {});
  // Written by us, read only by the agent's own git inside the sandbox.
  await git(['config', '--', 'remote.origin.url', project.repositoryUrl], local);
  await git(['config', '--', 'remote.origin.fetch', '+refs/heads/*:refs/remotes/origin/*'], local);
}

/** Deletes the feature's workspace (if any); the path is checked to lie inside `root`. */
export async function removeWorkspace(root: string, feature: Pick<Feature, 'orgId' | 'id'>): Promise<void> {
  const dir = workspacePath(root, feature);
  const inside = relative(root, dir);
  if (!inside || inside.startsWith('..')) throw new Error(`refusing to remove ${dir}: not under ${root}`);
  await rm(dir, { recursive: true, force: true });
}
