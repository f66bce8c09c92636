/**
 * The repository URL policy at clone and push time — the same as when the project was saved
 * (@omakase/net-policy), checked again because DNS may have changed since: public https (ssh when
 * the operator allows it) hosts only, file:// only inside an allowed org's own local directory.
 */
import { join } from 'node:path';
import type { Project } from '@omakase/domain';
import { assertRepositoryUrlAllowed, type RepositoryPolicy } from '@omakase/net-policy';

export type CheckRemote = (project: Project) => Promise<void>;

export function createCheckRemote(policy: RepositoryPolicy): CheckRemote {
  return async (project) => {
    await assertRepositoryUrlAllowed(project.repositoryUrl, { ...policy, orgId: project.orgId });
  };
}

/** The operator's settings: `OMAKASE_LOCAL_REPOSITORY_ORGS` may use `<OMAKASE_DATA_DIR>/repos/<orgId>/…`. */
export function remotePolicyFromEnv(env: {
  OMAKASE_DATA_DIR: string;
  OMAKASE_LOCAL_REPOSITORY_ORGS: readonly string[];
  OMAKASE_ALLOW_SSH_REPOSITORIES: boolean;
}): RepositoryPolicy {
  return {
    allowSsh: env.OMAKASE_ALLOW_SSH_REPOSITORIES,
    localRepositories:
      env.OMAKASE_LOCAL_REPOSITORY_ORGS.length > 0
        ? { root: join(env.OMAKASE_DATA_DIR, 'repos'), orgs: env.OMAKASE_LOCAL_REPOSITORY_ORGS }
        : null,
  };
}
