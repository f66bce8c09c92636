/**
 * What a feature's environment is, read from the project's mirror (object reads only): the commit
 * its branch forks from, and the environment key — a hash of the files that decide what setup
 * installs (lockfiles and manifests at that commit, by blob id), the setup command and the
 * toolchain versions. Same key, same install: the cache entry can be reused.
 */
import { createHash } from 'node:crypto';
import type { Feature, Project } from '@omakase/domain';
import { GitError, git } from './git';
import { featureRef, type Mirrors } from './mirror';

/** Files whose content decides an install (any directory depth, matched by name). */
const INSTALL_INPUTS = new Set([
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  '.npmrc',
  '.yarnrc.yml',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'go.sum',
  'Cargo.lock',
]);
const REQUIREMENTS = /^(requirements[\w.-]*|[\w.-]*-requirements)\.txt$/;
const MAX_INPUTS = 500;

export interface FeatureEnvironment {
  baseCommit: string;
  key: string;
}

export async function featureEnvironment(
  mirrors: Mirrors,
  project: Project,
  feature: Pick<Feature, 'id'>,
  branch: string,
  setupCommand: string | undefined,
  toolchain: string,
): Promise<FeatureEnvironment> {
  return mirrors.exclusive(project, async (gitDir) => {
    const base = `refs/remotes/origin/${project.defaultBranch}`;
    const candidates = [featureRef(feature), `refs/remotes/origin/${branch}`];
    let start: string | null = null;
    for (const ref of candidates) if (!start) start = await mirrors.resolve(gitDir, ref);
    const baseTip = await mirrors.resolve(gitDir, base);
    if (!baseTip) throw new GitError(`the repository has no branch ${project.defaultBranch}`, '');
    const baseCommit = start
      ? (await git(['merge-base', '--', start, baseTip], { gitDir }).catch(() => baseTip)).trim() || baseTip
      : baseTip;
    const listing = await git(['ls-tree', '-r', '-z', '--full-tree', baseCommit], { gitDir });
    const inputs = listing
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        return { oid: line.slice(0, tab).split(/\s+/)[2] ?? '', path: line.slice(tab + 1) };
      })
      .filter(({ path }) => {
        const name = path.slice(path.lastIndexOf('/') + 1);
        return (INSTALL_INPUTS.has(name) || REQUIREMENTS.test(name)) && !path.includes('node_modules/');
      })
      .slice(0, MAX_INPUTS)
      .map(({ oid, path }) => `${path}\0${oid}`)
      .sort();
    const key = createHash('sha256')
      .update(JSON.stringify({ inputs, setupCommand: setupCommand ?? null, toolchain }))
      .digest('hex')
      .slice(0, 32);
    return { baseCommit, key };
  });
}
