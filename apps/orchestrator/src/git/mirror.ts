/**
 * The orchestrator's own bare mirror of each project's repository,
 * `<mirrorsDir>/<orgId>/<projectId>.git`. Only host git touches it and only we write its config.
 * Upstream branches live under `refs/remotes/origin/*` (fetched from the project's configured
 * URL, never from a workspace); each feature's harvested work under
 * `refs/omakase/features/<featureId>`. Workspaces are seeded from it, agents' commits come back
 * into it as bundles, and pushes leave from it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Feature, isId, type Project } from '@omakase/domain';
import { branchRef, GitError, git, NETWORK_TIMEOUT_MS, protocolsFor, tokenHeaderConfig } from './git';
import { KeyedMutex } from './keyed-mutex';
import { copyUntrustedFile } from './untrusted-file';

/** Where the runner leaves the feature branch as a git bundle (apps/agent-runner/src/export-bundle.ts). */
export const BUNDLE_PATH = ['.git', 'omakase', 'branch.bundle'];
const DEFAULT_MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

export interface MirrorOptions {
  /** URL policy (e.g. DNS-resolved, no private addresses), awaited before every fetch or push. */
  checkRemote?: (project: Project) => Promise<void>;
  /** Clone/fetch/push time limit (default 120 s). */
  networkTimeoutMs?: number;
  maxBundleBytes?: number;
  /**
   * Seeding a workspace reuses the mirror's upstream state when this process fetched it less
   * than this long ago (default 15 s), so a burst of feature starts does not fetch once each.
   */
  refreshMaxAgeMs?: number;
}

const DEFAULT_REFRESH_MAX_AGE_MS = 15_000;

export const featureRef = (feature: Pick<Feature, 'id'>) => `refs/omakase/features/${feature.id}`;
const upstreamRef = (branch: string) =>
  `refs/remotes/origin/${branchRef(branch).slice('refs/heads/'.length)}`;

export class Mirrors {
  private readonly locks = new KeyedMutex();
  /** When each mirror last fetched, and from which URL (a changed URL is never fresh). */
  private readonly fetched = new Map<string, { at: number; url: string }>();

  constructor(
    readonly root: string,
    private readonly opts: MirrorOptions = {},
  ) {}

  path(project: Pick<Project, 'orgId' | 'id'>): string {
    if (!isId('org', project.orgId) || !isId('proj', project.id))
      throw new Error(`not a project id pair: ${project.orgId}/${project.id}`);
    return join(this.root, project.orgId, `${project.id}.git`);
  }

  /** Runs `work` with the project's mirror to itself (in this process). */
  exclusive<T>(project: Project, work: (gitDir: string) => Promise<T>): Promise<T> {
    const gitDir = this.path(project);
    return this.locks.run(gitDir, async () => {
      if (!existsSync(join(gitDir, 'HEAD'))) {
        await mkdir(gitDir, { recursive: true });
        await git(['init', '--quiet', '--bare', '--', gitDir]);
      }
      return work(gitDir);
    });
  }

  /** `refresh` unless this process fetched the same URL within `refreshMaxAgeMs` (callers hold `exclusive`). */
  async refreshIfStale(project: Project, gitDir: string): Promise<void> {
    const last = this.fetched.get(gitDir);
    const maxAge = this.opts.refreshMaxAgeMs ?? DEFAULT_REFRESH_MAX_AGE_MS;
    if (last && last.url === project.repositoryUrl && Date.now() - last.at < maxAge) {
      // No fetch, but the policy still decides whether the project may be worked on at all.
      await this.opts.checkRemote?.(project);
      return;
    }
    await this.refresh(project, gitDir);
  }

  /** Fetches the project's upstream branches from its configured URL (callers hold `exclusive`). */
  async refresh(project: Project, gitDir: string): Promise<void> {
    const startedAt = Date.now();
    const protocols = protocolsFor(project.repositoryUrl);
    await this.opts.checkRemote?.(project);
    try {
      await git(
        [
          'fetch',
          '--quiet',
          '--prune',
          '--no-tags',
          '--',
          project.repositoryUrl,
          '+refs/heads/*:refs/remotes/origin/*',
        ],
        { gitDir, protocols, timeoutMs: this.opts.networkTimeoutMs ?? NETWORK_TIMEOUT_MS },
      );
    } catch (error) {
      const reason =
        error instanceof GitError ? error.message.replace(/^git fetch failed: /, '') : String(error);
      throw new GitError(`cannot fetch the repository: ${reason}`, (error as GitError).stderr ?? '');
    }
    this.fetched.set(gitDir, { at: startedAt, url: project.repositoryUrl });
  }

  /** The commit `ref` names in the mirror, or null. */
  async resolve(gitDir: string, ref: string): Promise<string | null> {
    const sha = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
      gitDir,
    }).catch(() => '');
    return sha || null;
  }

  /**
   * Takes the agent's commits into the mirror: the bundle the runner wrote in the workspace is
   * copied out without following symlinks, then fetched like any untrusted pack (objects
   * verified). Returns false when the workspace holds no bundle.
   */
  async harvest(project: Project, feature: Feature, branch: string, workspaceDir: string): Promise<boolean> {
    const source = branchRef(branch);
    return this.exclusive(project, async (gitDir) => {
      const incoming = join(this.root, '.incoming');
      await mkdir(incoming, { recursive: true, mode: 0o700 });
      const copy = join(incoming, `${feature.id}-${randomBytes(6).toString('hex')}.bundle`);
      try {
        const found = await copyUntrustedFile(
          workspaceDir,
          BUNDLE_PATH,
          copy,
          this.opts.maxBundleBytes ?? DEFAULT_MAX_BUNDLE_BYTES,
        );
        if (!found) return false;
        await git(['fetch', '--quiet', '--no-tags', '--', copy, `+${source}:${featureRef(feature)}`], {
          gitDir,
          protocols: ['file'],
        });
        return true;
      } finally {
        await rm(copy, { force: true });
      }
    });
  }

  /**
   * Pushes the feature's harvested work (else what the branch already is upstream, else the
   * default branch) to the project's configured URL, with a lease on what the mirror last saw
   * there, then records the new upstream state.
   */
  async push(project: Project, feature: Feature, branch: string, token?: string): Promise<void> {
    const target = branchRef(branch);
    const protocols = protocolsFor(project.repositoryUrl);
    await this.exclusive(project, async (gitDir) => {
      const seen = await this.resolve(gitDir, upstreamRef(branch));
      const source =
        (await this.resolve(gitDir, featureRef(feature))) ??
        seen ??
        (await this.resolve(gitDir, upstreamRef(project.defaultBranch)));
      if (!source)
        throw new GitError(`the mirror has neither ${featureRef(feature)} nor ${project.defaultBranch}`, '');
      await this.opts.checkRemote?.(project);
      await git(
        [
          'push',
          '--quiet',
          '--no-verify',
          `--force-with-lease=${target}:${seen ?? ''}`,
          '--',
          project.repositoryUrl,
          `${source}:${target}`,
        ],
        {
          gitDir,
          protocols,
          timeoutMs: this.opts.networkTimeoutMs ?? NETWORK_TIMEOUT_MS,
          config: tokenHeaderConfig(project.repositoryUrl, token),
        },
      );
      await git(['update-ref', '--', upstreamRef(branch), source], { gitDir });
    });
  }
}
