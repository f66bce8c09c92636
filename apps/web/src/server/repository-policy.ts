/**
 * Which repository URLs an organisation may save (@omakase/net-policy): public https hosts
 * (checked after DNS), ssh only when the operator enables it, file:// only inside the org's own
 * `<OMAKASE_DATA_DIR>/repos/<orgId>/` for the orgs in OMAKASE_LOCAL_REPOSITORY_ORGS. A refusal is a
 * 422 naming `repositoryUrl`. The orchestrator checks again before each clone and push.
 */
import { join } from 'node:path';
import { assertRepositoryUrlAllowed, RepositoryUrlRefused, type Resolver } from '@omakase/net-policy';
import { ApiError } from './api-error';
import { env } from './env';

let testResolver: Resolver | undefined;

/**
 * In-process tests answer DNS themselves (this machine resolves no public names). Code only —
 * there is no environment switch for it.
 */
export function setRepositoryResolverForTests(resolve: Resolver | undefined): void {
  testResolver = resolve;
}

export async function assertRepositoryAllowed(orgId: string, repositoryUrl: string): Promise<void> {
  const e = env();
  try {
    await assertRepositoryUrlAllowed(repositoryUrl, {
      orgId,
      allowSsh: e.OMAKASE_ALLOW_SSH_REPOSITORIES,
      localRepositories:
        e.OMAKASE_LOCAL_REPOSITORY_ORGS.length > 0 && e.OMAKASE_DATA_DIR
          ? { root: join(e.OMAKASE_DATA_DIR, 'repos'), orgs: e.OMAKASE_LOCAL_REPOSITORY_ORGS }
          : null,
      resolve: testResolver,
    });
  } catch (error) {
    if (error instanceof RepositoryUrlRefused)
      throw new ApiError('validation_failed', error.message, error.field);
    throw error;
  }
}
