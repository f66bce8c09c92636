/**
 * Where a feature's work lives and how it leaves: the git workspace the agents share, and the
 * push (plus the pull request, for GitHub remotes when a token is configured) once tests pass.
 * The push goes from the orchestrator's mirror of the project, after harvesting the agent's
 * bundle into it — never from the workspace, and only to the project's configured URL.
 * An interface so benchmarks can replace git with nothing and measure the orchestration alone.
 */
import { dirname, join } from 'node:path';
import type { DetectedCommands, Feature, OrgId, Project } from '@omakase/domain';
import { type GitHub, type GitHubRepo, parseGitHubRemote } from '@omakase/github';
import type { GitHubAccess } from '../org-credentials';
import { type DetectOptions, detectFromMirror } from './detect-commands';
import { type FeatureEnvironment, featureEnvironment } from './environment';
import { type MirrorOptions, Mirrors } from './mirror';
import { prepareWorkspace, removeWorkspace, workspacePath } from './workspace';

export interface Workspaces {
  /** The feature's checkout on `branch`, created on first use; returns its directory. */
  prepare(project: Project, feature: Feature, branch: string): Promise<string>;
  /** Pushes `branch` to the project's remote and opens its pull request where one applies. */
  publish(project: Project, feature: Feature, branch: string): Promise<{ pullRequestUrl: string | null }>;
  /** Deletes the feature's checkout (its branch is pushed, or the feature is gone). */
  remove(feature: Pick<Feature, 'orgId' | 'id'>): Promise<void>;
  /** The project's commands on its default branch; null when already detected on that commit. */
  detect?(project: Project, opts?: DetectOptions): Promise<DetectedCommands | null>;
  /** The feature branch's fork point and its environment key (see git/environment.ts). */
  environment?(
    project: Project,
    feature: Feature,
    branch: string,
    setupCommand: string | undefined,
    toolchain: string,
  ): Promise<FeatureEnvironment>;
}

export interface PullRequestOptions {
  /** One client for every org (benchmarks, tests); `githubFor` takes precedence. */
  github?: GitHub;
  /** The org's own GitHub access (its saved token, else the deployment's); null when none. */
  githubFor?: (orgId: OrgId) => Promise<GitHubAccess | null>;
  /** Which GitHub repository a project's pull requests go to; by default parsed from its remote URL. */
  repoFor?: (project: Project) => GitHubRepo | null;
}

export interface GitWorkspacesOptions extends PullRequestOptions, MirrorOptions {
  /** Root of the project mirrors; by default `mirrors` beside the workspaces root (both in the data dir). */
  mirrorsDir?: string;
}

export function gitWorkspaces(root: string, opts: GitWorkspacesOptions = {}): Workspaces {
  const mirrors = new Mirrors(opts.mirrorsDir ?? join(dirname(root), 'mirrors'), opts);
  const pullRequests = opts.github || opts.githubFor ? opts : null;
  return {
    prepare: (project, feature, branch) => prepareWorkspace(root, mirrors, project, feature, branch),
    remove: (feature) => removeWorkspace(root, feature),
    detect: (project, detectOpts) => detectFromMirror(mirrors, project, detectOpts),
    environment: (project, feature, branch, setupCommand, toolchain) =>
      featureEnvironment(mirrors, project, feature, branch, setupCommand, toolchain),
    async publish(project, feature, branch) {
      const githubRepo = pullRequests
        ? (pullRequests.repoFor ?? ((p) => parseGitHubRemote(p.repositoryUrl)))(project)
        : null;
      const access = githubRepo ? await accessFor(pullRequests!, project.orgId) : null;
      // The token goes only to GitHub itself, over https (and its header is scoped to that host).
      const toGitHub =
        /^https:\/\//.test(project.repositoryUrl) && !!parseGitHubRemote(project.repositoryUrl);
      await mirrors.harvest(project, feature, branch, workspacePath(root, feature));
      await mirrors.push(project, feature, branch, toGitHub ? access?.token : undefined);
      if (!githubRepo || !access) return { pullRequestUrl: null };
      const pr = await access.client.openPullRequest({
        repoUrl: project.repositoryUrl,
        githubRepo,
        head: branch,
        base: project.defaultBranch,
        title: `${feature.key}: ${feature.title}`,
        body: pullRequestBody(feature),
      });
      return { pullRequestUrl: pr.url };
    },
  };
}

async function accessFor(
  opts: PullRequestOptions,
  orgId: OrgId,
): Promise<{ token?: string; client: GitHub } | null> {
  if (opts.githubFor) return opts.githubFor(orgId);
  return opts.github ? { client: opts.github } : null;
}

function pullRequestBody(feature: Feature): string {
  const criteria = feature.acceptanceCriteria.map((c) => `- [x] ${c}`).join('\n');
  return [
    feature.description,
    criteria && `### Acceptance criteria\n${criteria}`,
    `Implemented, reviewed and tested by Omakase agents (${feature.key}).`,
  ]
    .filter(Boolean)
    .join('\n\n');
}
