/** Security entities → API DTOs (dates as ISO strings; secret values never appear). */
import type { AuditEntry, Invitation, Member, SecretMetadata } from '@omakase/domain';

export const toMemberDto = (m: Member) => ({
  id: m.id,
  userId: m.userId,
  email: m.email,
  name: m.name,
  role: m.role,
  createdAt: m.createdAt.toISOString(),
});

export function invitationStatus(i: Invitation, now = new Date()) {
  if (i.acceptedAt) return 'accepted' as const;
  if (i.revokedAt) return 'revoked' as const;
  return i.expiresAt <= now ? ('expired' as const) : ('pending' as const);
}

export const toInvitationDto = (i: Invitation) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  status: invitationStatus(i),
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

export const toSecretDto = (s: SecretMetadata) => ({
  name: s.name,
  last4: s.last4,
  updatedBy: s.updatedBy,
  updatedAt: s.updatedAt.toISOString(),
});

export const toAuditDto = (a: AuditEntry) => ({
  id: a.id,
  actor: a.actor,
  action: a.action,
  target: a.target,
  details: a.details,
  createdAt: a.createdAt.toISOString(),
});
