/** Schemas for members, invitations, secrets and the audit log. */
import { AUDIT_ACTIONS, ROLES } from '@omakase/domain';
import { z } from 'zod';
import { idPattern } from './primitives';
import { singleLine } from './text';

export const RoleSchema = z.enum(ROLES);

export const MemberParams = z.object({
  memberId: z.string().regex(idPattern('mem'), 'must be a member id (mem_<ulid>)'),
});
export const MemberDto = z.object({
  id: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
});
export const MemberList = z.object({ items: z.array(MemberDto) });
export const UpdateMemberBody = z.strictObject({ role: RoleSchema });

export const InvitationParams = z.object({
  invitationId: z.string().regex(idPattern('inv'), 'must be an invitation id (inv_<ulid>)'),
});
export const CreateInvitationBody = z.strictObject({
  email: z.email().max(320),
  role: RoleSchema,
});
export const InvitationDto = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  invitedBy: z.string(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export const InvitationList = z.object({ items: z.array(InvitationDto) });
/** Returned once, to the inviter: the link carries the only copy of the token. */
export const CreatedInvitationDto = InvitationDto.extend({ acceptUrl: z.string() });
export const AcceptInvitationBody = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be an invitation token'),
});
/** A re-sync of the organisation's Auth0 memberships: members set with their role, others removed. */
export const Auth0SyncResult = z.object({ updated: z.number().int(), removed: z.number().int() });
export const AcceptedInvitationDto = z.object({ organization: z.string(), member: MemberDto });

export const SECRET_NAMES = [
  'linear_api_key',
  'linear_webhook_secret',
  'github_token',
  'anthropic_api_key',
] as const;
export const SecretNameSchema = z.enum(SECRET_NAMES);
export const SecretParams = z.object({ name: SecretNameSchema });
export const PutSecretBody = z.strictObject({
  name: SecretNameSchema,
  value: singleLine(z.string().min(8, 'must be at least 8 characters').max(8192)),
});
/** Metadata only: the value is never returned after it is saved. */
export const SecretDto = z.object({
  name: SecretNameSchema,
  last4: z.string().nullable(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export const SecretList = z.object({ items: z.array(SecretDto) });

export const AuditEntryDto = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
/** One page, newest first; pass `nextBefore` back as `before` for the next (older) page. */
export const AuditList = z.object({ items: z.array(AuditEntryDto), nextBefore: z.string().nullable() });
export const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTIONS).optional(),
  before: z
    .string()
    .regex(idPattern('aud'), 'must be an audit entry id (aud_<ulid>)')
    .transform((v) => v as `aud_${string}`)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
