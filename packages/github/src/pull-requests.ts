/**
 * Opens the pull request for a pushed feature branch. Idempotent: an open pull request for the
 * same head is returned instead of a second one, so a retried push step never opens two.
 */
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { codeForStatus, GitHubError } from './errors';
import { type GitHubRepo, parseGitHubRemote } from './remote';

export interface GitHubOptions {
  token: string;
  /** REST API root; `https://api.github.com` unless GitHub Enterprise or a test fake. */
  baseUrl?: string;
}

export interface OpenPullRequest {
  repoUrl: string;
  head: string;
  base: string;
  title: string;
  body: string;
  /** Use this repository instead of parsing `repoUrl` (tests, mirrors). */
  githubRepo?: GitHubRepo;
}

export interface PullRequestRef {
  url: string;
  number: number;
}

const pullSchema = z.object({ html_url: z.string().url(), number: z.number().int().positive() });

export interface GitHub {
  openPullRequest(request: OpenPullRequest): Promise<PullRequestRef>;
}

export function createGitHub(opts: GitHubOptions): GitHub {
  const octokit = new Octokit({
    auth: opts.token,
    baseUrl: opts.baseUrl ?? 'https://api.github.com',
    userAgent: 'omakase-cloud',
    request: { retries: 0 },
  });

  const existing = async ({ owner, repo }: GitHubRepo, head: string) => {
    const { data } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open' });
    const first = data[0];
    return first ? toRef(first) : null;
  };

  return {
    async openPullRequest(request) {
      const target = request.githubRepo ?? parseGitHubRemote(request.repoUrl);
      if (!target) throw new GitHubError('not_github', `${request.repoUrl} is not a GitHub repository`);
      try {
        const found = await existing(target, request.head);
        if (found) return found;
        const { data } = await octokit.rest.pulls.create({
          ...target,
          head: request.head,
          base: request.base,
          title: request.title,
          body: request.body,
        });
        return toRef(data);
      } catch (error) {
        if (error instanceof GitHubError) throw error;
        const status = (error as { status?: number }).status;
        // Another attempt opened it between our list and create.
        if (status === 422) {
          const found = await existing(target, request.head).catch(() => null);
          if (found) return found;
        }
        throw new GitHubError(codeForStatus(status), `GitHub: ${(error as Error).message}`, status);
      }
    },
  };
}

function toRef(data: unknown): PullRequestRef {
  const parsed = pullSchema.safeParse(data);
  if (!parsed.success) throw new GitHubError('unavailable', 'GitHub returned an unexpected pull request');
  return { url: parsed.data.html_url, number: parsed.data.number };
}
