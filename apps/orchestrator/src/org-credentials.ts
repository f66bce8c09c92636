/**
 * The credentials an organisation saved through the secrets API, where the platform acts for it:
 * its Anthropic key for its agent runs, its GitHub token for pushes and pull requests. The
 * deployment's own key/token (environment) is a fallback only for the orgs the operator lists
 * (OMAKASE_FALLBACK_CREDENTIAL_ORGS); every other org uses its own or none.
 */
import type { OrgId } from '@omakase/domain';
import { createGitHub, type GitHub } from '@omakase/github';
import type { OrgSecretReader } from '@omakase/secrets';

export interface GitHubAccess {
  token: string;
  client: GitHub;
}

export interface OrgCredentials {
  /** The key the org's agent runs use; undefined when it has none it may use. */
  anthropicApiKey(orgId: OrgId): Promise<string | undefined>;
  /** GitHub access for the org's pushes and pull requests; null when it has none it may use. */
  github(orgId: OrgId): Promise<GitHubAccess | null>;
}

export interface OrgCredentialsOptions {
  /** Opens the orgs' saved secrets; absent when secrets are not configured (no master key). */
  reader?: OrgSecretReader;
  /** The deployment's own key and token. */
  fallback: { anthropicApiKey?: string; githubToken?: string };
  /** Orgs that may use `fallback` when they saved none; empty (the default) = no org may. */
  fallbackOrgs?: ReadonlySet<string>;
  githubApiUrl?: string;
}

/** Why an org's run cannot start when a real model is configured but the org has no key. */
export const NO_MODEL_KEY_REASON =
  'no Anthropic API key saved for this organisation; save one in Settings → Secrets';

export function orgCredentials(opts: OrgCredentialsOptions): OrgCredentials {
  const clients = new Map<string, GitHub>();
  const saved = async (orgId: OrgId, name: string) => (opts.reader ? opts.reader.reveal(orgId, name) : null);
  const mayFallBack = (orgId: OrgId) => opts.fallbackOrgs?.has(orgId) ?? false;
  return {
    anthropicApiKey: async (orgId) =>
      (await saved(orgId, 'anthropic_api_key')) ??
      (mayFallBack(orgId) ? opts.fallback.anthropicApiKey : undefined),
    async github(orgId) {
      const token =
        (await saved(orgId, 'github_token')) ?? (mayFallBack(orgId) ? opts.fallback.githubToken : undefined);
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
