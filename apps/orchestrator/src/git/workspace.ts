/**
 * One workspace per feature: a checkout of the project on the feature's branch, which the agent
 * runs of that feature share (the coder's commits are what the reviewer and tester see).
 *
 * The host runs git only while *seeding* a workspace: a fresh directory nobody else has touched,
 * filled from the project's mirror. Once it exists it belongs to the agent (it is chowned to the
 * sandbox user) and the host never runs git in it again; the runner switches branches itself.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, lstat, mkdir, rename, rm } from 'node:fs/promises';
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
  const remoteBase = `refs/remotes/origin/${project.defaultBranch}`;
  const remoteBranch = `refs/remotes/origin/${branch}`;
  const harvested = featureRef(feature);
  await git(['init', '--quiet', `--initial-branch=${branch}`, '--', fresh]);
  const local = { gitDir: join(fresh, '.git'), workTree: fresh, cwd: fresh };
  await mirrors.exclusive(project, async (mirror) => {
    await mirrors.refreshIfStale(project, mirror);
    // One read of the mirror's refs (under its lock, so they match what the fetch below copies).
    const listed = await git(
      ['for-each-ref', '--format=%(refname)', '--', remoteBase, remoteBranch, harvested],
      {
        gitDir: mirror,
      },
    );
    const present = new Set(listed.split('\n').filter(Boolean));
    if (!present.has(remoteBase))
      throw new GitError(`the repository has no branch ${project.defaultBranch}`, '');
    // The feature branch starts from the harvested work, else the pushed branch, else the default one.
    const start = [harvested, remoteBranch].find((ref) => present.has(ref)) ?? remoteBase;
    // One fetch writes every ref: origin's branches as a clone has them, the default branch and
    // the feature branch (HEAD's, still unborn, hence --update-head-ok).
    await git(
      [
        'fetch',
        '--quiet',
        '--no-tags',
        '--update-head-ok',
        '--',
        `file://${mirror}`,
        '+refs/remotes/origin/*:refs/remotes/origin/*',
        `+${remoteBase}:${branchRef(project.defaultBranch)}`,
        `+${start}:${branchRef(branch)}`,
      ],
      { ...local, protocols: ['file'] },
    );
  });
  await git(['checkout', '--quiet', '--force', branch, '--'], local);
  // Written by us into a config file nobody else has touched yet; read only by the agent's own
  // git inside the sandbox.
  await appendFile(
    join(fresh, '.git', 'config'),
    `[remote "origin"]\n\turl = ${configValue(project.repositoryUrl)}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n`,
  );
}

/** A git config value, quoted (the URL policy already refuses control characters). */
function configValue(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Deletes the feature's workspace (if any); the path is checked to lie inside `root`. */
export async function removeWorkspace(root: string, feature: Pick<Feature, 'orgId' | 'id'>): Promise<void> {
  const dir = workspacePath(root, feature);
  const inside = relative(root, dir);
  if (!inside || inside.startsWith('..')) throw new Error(`refusing to remove ${dir}: not under ${root}`);
  await rm(dir, { recursive: true, force: true });
}
