import { routes } from '@omakase/api-contract';
import { toInvitationDto } from '@/server/security/dto';
import { inviteMember } from '@/server/security/invitations';
import { securityStorage } from '@/server/security/store';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listInvitations, async ({ caller }) => ({
  items: (await securityStorage().forOrg(caller.organization.id).invitations.list()).map(toInvitationDto),
}));

export const POST = withApi(routes.createInvitation, ({ caller, body }) => inviteMember(caller, body));
