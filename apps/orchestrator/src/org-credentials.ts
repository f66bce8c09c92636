/**
 * The credentials an organisation saved through the secrets API, where the platform acts for it:
 * its Anthropic key for its agent runs, its GitHub token for pushes and pull requests. The
 * deployment's own key/token (environment) is the fallback for orgs that saved none.
 */
import type { OrgId } from '@omakase/domain';
import { createGitHub, type GitHub } from '@omakase/github';
import type { OrgSecretReader } from '@omakase/secrets';

export interface GitHubAccess {
  token: string;
  client: GitHub;
}

export interface OrgCredentials {
  /** The key the org's agent runs use; undefined when neither the org nor the deployment has one. */
  anthropicApiKey(orgId: OrgId): Promise<string | undefined>;
  /** GitHub access for the org's pushes and pull requests; null when none is configured. */
  github(orgId: OrgId): Promise<GitHubAccess | null>;
}

export interface OrgCredentialsOptions {
  /** Opens the orgs' saved secrets; absent when secrets are not configured (no master key). */
  reader?: OrgSecretReader;
  fallback: { anthropicApiKey?: string; githubToken?: string };
  githubApiUrl?: string;
}

export function orgCredentials(opts: OrgCredentialsOptions): OrgCredentials {
  const clients = new Map<string, GitHub>();
  const saved = async (orgId: OrgId, name: string) => (opts.reader ? opts.reader.reveal(orgId, name) : null);
  return {
    anthropicApiKey: async (orgId) =>
      (await saved(orgId, 'anthropic_api_key')) ?? opts.fallback.anthropicApiKey,
    async github(orgId) {
      const token = (await saved(orgId, 'github_token')) ?? opts.fallback.githubToken;
      if (!token) return null;
      let client = clients.get(token);
      if (!client) {
        client = createGitHub({ token, baseUrl: opts.githubApiUrl });
        clients.set(token, client);
      }
      return { token, client };
    },
  };
}
