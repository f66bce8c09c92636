import { routes } from '@omakase/api-contract';
import type { MemberId } from '@omakase/domain';
import { ApiError } from '@/server/api-error';
import { actorOf } from '@/server/security/audit';
import { syncToAuth0 } from '@/server/security/auth0-sync';
import { toMemberDto } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';
import { afterCommit, withApi } from '@/server/with-api';

export const PATCH = withApi(routes.updateMember, async ({ caller, params, body }) => {
  const memberId = params.memberId as MemberId;
  const member = await securityStorage()
    .forOrg(caller.organization.id)
    .members.changeRole(memberId, body.role, { actor: actorOf(caller) });
  return afterCommit(async () => {
    await syncToAuth0(
      { orgId: caller.organization.id, actor: actorOf(caller), target: memberId, operation: 'set_role' },
      (auth0) => auth0.setRole(caller.organization.externalId, member.userId, member.role),
    );
    return toMemberDto(member);
  });
});

export const DELETE = withApi(routes.removeMember, async ({ caller, params }) => {
  const memberId = params.memberId as MemberId;
  const members = securityStorage().forOrg(caller.organization.id).members;
  const member = await members.get(memberId);
  if (!member) throw new ApiError('not_found', 'member not found');
  await members.remove(memberId, { actor: actorOf(caller), action: 'member.removed' });
  return afterCommit(() =>
    syncToAuth0(
      { orgId: caller.organization.id, actor: actorOf(caller), target: memberId, operation: 'remove_member' },
      (auth0) => auth0.removeMember(caller.organization.externalId, member.userId),
    ).then(() => undefined),
  );
});
