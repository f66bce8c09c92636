import { routes } from '@omakase/api-contract';
import { resyncOrganization } from '@/server/security/auth0-sync';
import { afterCommit, withApi } from '@/server/with-api';

/** Repairs whatever earlier syncs left undone: Auth0 ends up with exactly our members and roles. */
export const POST = withApi(routes.syncMembersToAuth0, async ({ caller }) =>
  afterCommit(() => resyncOrganization(caller)),
);
