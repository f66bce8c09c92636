import { routes } from '@omakase/api-contract';
import { ApiError } from '@/server/api-error';
import { actorOf } from '@/server/security/audit';
import { syncToAuth0 } from '@/server/security/auth0-sync';
import { securityStorage } from '@/server/security/store';
import { afterCommit, withApi } from '@/server/with-api';

export const POST = withApi(routes.leaveOrganization, async ({ caller }) => {
  const members = securityStorage().forOrg(caller.organization.id).members;
  const me = await members.getByUserId(caller.principal.subject);
  if (!me) throw new ApiError('not_found', 'you are not a member of this organisation');
  await members.remove(me.id, { actor: actorOf(caller), action: 'member.left' });
  return afterCommit(() =>
    syncToAuth0(
      { orgId: caller.organization.id, actor: actorOf(caller), target: me.id, operation: 'remove_member' },
      (auth0) => auth0.removeMember(caller.organization.externalId, me.userId),
    ).then(() => undefined),
  );
});
