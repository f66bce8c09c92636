import { routes } from '@omakase/api-contract';
import type { InvitationId } from '@omakase/domain';
import { actorOf } from '@/server/security/audit';
import { securityStorage } from '@/server/security/store';
import { withApi } from '@/server/with-api';

export const DELETE = withApi(routes.revokeInvitation, ({ caller, params }) =>
  securityStorage()
    .forOrg(caller.organization.id)
    .invitations.revoke(params.invitationId as InvitationId, { actor: actorOf(caller) }),
);
