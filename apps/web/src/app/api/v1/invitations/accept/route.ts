import { routes } from '@omakase/api-contract';
import { ApiError } from '@/server/api-error';
import { syncToAuth0 } from '@/server/security/auth0-sync';
import { toMemberDto } from '@/server/security/dto';
import { hashInvitationToken } from '@/server/security/invitations';
import { securityStorage } from '@/server/security/store';
import { storage } from '@/server/storage';
import { withUserApi } from '@/server/with-api';

/** Accepting needs the invited address, verified by the issuer (compared case-insensitively in the store). */
export const POST = withUserApi(routes.acceptInvitation, async ({ principal, body }) => {
  if (!principal.email || principal.emailVerified !== true)
    throw new ApiError(
      'forbidden',
      'accepting an invitation requires a verified email address; verify yours first',
    );
  const { invitation, member } = await securityStorage().acceptInvitation(hashInvitationToken(body.token), {
    userId: principal.subject,
    email: principal.email,
    name: principal.name ?? principal.email ?? principal.subject,
  });
  const organization = await storage().organizations.get(invitation.orgId);
  if (!organization) throw new ApiError('not_found', 'organisation not found');
  // With Auth0, the next login into this organisation needs the Auth0 membership and role too.
  await syncToAuth0(
    {
      orgId: organization.id,
      actor: `user:${principal.subject}`,
      target: member.id,
      operation: 'add_member',
    },
    (auth0) => auth0.addMember(organization.externalId, member.userId, member.role),
  );
  return { organization: organization.externalId, member: toMemberDto(member) };
});
