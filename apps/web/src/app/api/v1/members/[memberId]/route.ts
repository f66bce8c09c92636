import { routes } from '@omakase/api-contract';
import type { MemberId } from '@omakase/domain';
import { actorOf } from '@/server/security/audit';
import { toMemberDto } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';
import { withApi } from '@/server/with-api';

export const PATCH = withApi(routes.updateMember, async ({ caller, params, body }) =>
  toMemberDto(
    await securityStorage()
      .forOrg(caller.organization.id)
      .members.changeRole(params.memberId as MemberId, body.role, { actor: actorOf(caller) }),
  ),
);

export const DELETE = withApi(routes.removeMember, ({ caller, params }) =>
  securityStorage()
    .forOrg(caller.organization.id)
    .members.remove(params.memberId as MemberId, { actor: actorOf(caller), action: 'member.removed' }),
);
