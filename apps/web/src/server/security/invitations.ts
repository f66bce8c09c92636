/** Invitation links: a random token in the URL, only its SHA-256 stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Invitation, Role } from '@omakase/domain';
import type { Caller } from '../caller';
import { env } from '../env';
import { logger } from '../logger';
import { afterCommit } from '../with-api';
import { actorOf } from './audit';
import { syncToAuth0 } from './auth0-sync';
import { toInvitationDto } from './dto';
import { securityStorage } from './store';

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function inviteMember(caller: Caller, input: { email: string; role: Role }) {
  const token = randomBytes(32).toString('base64url');
  const security = securityStorage().forOrg(caller.organization.id);
  const invitation = await security.invitations.create(
    {
      email: input.email,
      role: input.role,
      invitedBy: actorOf(caller),
      tokenHash: hashInvitationToken(token),
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    },
    { actor: actorOf(caller) },
  );
  return afterCommit(() => finishInvitation(caller, security, invitation, token));
}

/** After commit: with Auth0 configured also an Auth0 organisation invitation with the same role. */
async function finishInvitation(
  caller: Caller,
  security: ReturnType<ReturnType<typeof securityStorage>['forOrg']>,
  invitation: Invitation,
  token: string,
) {
  const auth0Invitation = await syncToAuth0(
    { orgId: caller.organization.id, actor: actorOf(caller), target: invitation.id, operation: 'invite' },
    async (directory) =>
      directory.invite(caller.organization.externalId, {
        email: invitation.email,
        role: invitation.role,
        // Access tokens carry no name; the inviter's membership does.
        inviterName: (await security.members.getByUserId(caller.principal.subject))?.name ?? 'Omakase',
        ttlSeconds: INVITATION_TTL_MS / 1000,
      }),
  );
  const link = new URL('/invitations/accept', env().APP_BASE_URL);
  link.searchParams.set('token', token);
  if (auth0Invitation?.ticket) {
    // The login on the way to the page passes these to Auth0, which lets a new user sign up into the org.
    link.searchParams.set('invitation', auth0Invitation.ticket);
    link.searchParams.set('organization', caller.organization.externalId);
  }
  const acceptUrl = link.toString();
  // No mailer in local mode: the link is logged for the inviter to pass on (the token is one-time).
  // Against a real tenant the link goes only to the inviter, in the API answer.
  if (env().AUTH0_ISSUER_INSECURE)
    logger.info({ invitationId: invitation.id, link: acceptUrl }, 'invitation link');
  else logger.info({ invitationId: invitation.id }, 'invitation created');
  return { ...toInvitationDto(invitation), acceptUrl };
}
