/** Recognises GitHub remotes: https://github.com/owner/repo(.git) and git@github.com:owner/repo(.git). */
export interface GitHubRepo {
  owner: string;
  repo: string;
}

const NAME = '[A-Za-z0-9_.-]+';
const HTTPS = new RegExp(`^https://(?:[^@/]+@)?github\\.com/(${NAME})/(${NAME}?)(?:\\.git)?/?$`);
const SSH = new RegExp(`^(?:ssh://)?git@github\\.com[:/](${NAME})/(${NAME}?)(?:\\.git)?$`);

export function parseGitHubRemote(url: string): GitHubRepo | null {
  const match = HTTPS.exec(url.trim()) ?? SSH.exec(url.trim());
  if (!match) return null;
  const [, owner, repo] = match as unknown as [string, string, string];
  return { owner, repo: repo.replace(/\.git$/, '') };
}
