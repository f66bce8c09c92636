/**
 * Where a feature's work lives and how it leaves: the git workspace the agents share, and the
 * push (plus the pull request, for GitHub remotes when a token is configured) once tests pass.
 * An interface so benchmarks can replace git with nothing and measure the orchestration alone.
 */
import type { Feature, OrgId, Project } from '@omakase/domain';
import { type GitHub, type GitHubRepo, parseGitHubRemote } from '@omakase/github';
import type { GitHubAccess } from '../org-credentials';
import { prepareWorkspace, pushBranch, removeWorkspace, workspacePath } from './workspace';

export interface Workspaces {
  /** The feature's checkout on `branch`, created on first use; returns its directory. */
  prepare(project: Project, feature: Feature, branch: string): Promise<string>;
  /** Pushes `branch` to the project's remote and opens its pull request where one applies. */
  publish(project: Project, feature: Feature, branch: string): Promise<{ pullRequestUrl: string | null }>;
  /** Deletes the feature's checkout (its branch is pushed, or the feature is gone). */
  remove(feature: Pick<Feature, 'orgId' | 'id'>): Promise<void>;
}

export interface PullRequestOptions {
  /** One client for every org (benchmarks, tests); `githubFor` takes precedence. */
  github?: GitHub;
  /** The org's own GitHub access (its saved token, else the deployment's); null when none. */
  githubFor?: (orgId: OrgId) => Promise<GitHubAccess | null>;
  /** Which GitHub repository a project's pull requests go to; by default parsed from its remote URL. */
  repoFor?: (project: Project) => GitHubRepo | null;
}

export function gitWorkspaces(root: string, pullRequests?: PullRequestOptions): Workspaces {
  return {
    prepare: (project, feature, branch) => prepareWorkspace(root, project, feature, branch),
    remove: (feature) => removeWorkspace(root, feature),
    async publish(project, feature, branch) {
      const githubRepo = pullRequests
        ? (pullRequests.repoFor ?? ((p) => parseGitHubRemote(p.repositoryUrl)))(project)
        : null;
      const access = githubRepo ? await accessFor(pullRequests!, project.orgId) : null;
      // The token goes only to GitHub itself, over https.
      const toGitHub =
        /^https:\/\//.test(project.repositoryUrl) && !!parseGitHubRemote(project.repositoryUrl);
      await pushBranch(workspacePath(root, feature), branch, toGitHub ? access?.token : undefined);
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
