/** Invitation links: a random token in the URL, only its SHA-256 stored. */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@omakase/domain';
import type { Caller } from '../caller';
import { env } from '../env';
import { logger } from '../logger';
import { actorOf } from './audit';
import { toInvitationDto } from './dto';
import { securityStorage } from './store';

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function inviteMember(caller: Caller, input: { email: string; role: Role }) {
  const token = randomBytes(32).toString('base64url');
  const invitation = await securityStorage()
    .forOrg(caller.organization.id)
    .invitations.create(
      {
        email: input.email,
        role: input.role,
        invitedBy: actorOf(caller),
        tokenHash: hashInvitationToken(token),
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
      { actor: actorOf(caller) },
    );
  const acceptUrl = new URL(`/invitations/accept?token=${token}`, env().APP_BASE_URL).toString();
  // No mailer in local mode: the link is logged for the inviter to pass on (the token is one-time).
  // Against a real tenant the link goes only to the inviter, in the API answer.
  if (env().AUTH0_ISSUER_INSECURE)
    logger.info({ invitationId: invitation.id, link: acceptUrl }, 'invitation link');
  else logger.info({ invitationId: invitation.id }, 'invitation created');
  return { ...toInvitationDto(invitation), acceptUrl };
}
