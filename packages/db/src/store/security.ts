/**
 * Postgres implementation of the security port (`SecurityStorage`): its own small pool, every
 * query scoped by org id, every mutation audited in the same transaction.
 */
import {
  type AuditId,
  type Invitation,
  type InvitationId,
  type MemberId,
  MembershipError,
  type OrgId,
  type Role,
  type SecurityStorage,
  type SecurityStore,
} from '@omakase/domain';
import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { type DatabaseSource, useDatabase } from '../database';
import { translateErrors } from '../errors';
import { auditLog, invitations, members } from '../schema';
import type { Db } from './context';
import { toMember } from './mappers';
import { insertAudit, securityId, securityMembers } from './security-members';
import { securitySecrets } from './security-secrets';

const toInvitation = (row: typeof invitations.$inferSelect): Invitation => {
  const { tokenHash: _hidden, ...rest } = row;
  return { ...rest, id: row.id as InvitationId, orgId: row.orgId as OrgId, role: row.role as Role };
};

function securityStore(db: Db, orgId: OrgId): SecurityStore {
  const org = (t: { orgId: typeof invitations.orgId }) => eq(t.orgId, orgId);
  return {
    orgId,
    members: securityMembers(db, orgId),
    invitations: {
      list: () =>
        translateErrors(async () =>
          (
            await db.select().from(invitations).where(org(invitations)).orderBy(desc(invitations.createdAt))
          ).map(toInvitation),
        ),
      create: (input, audit) =>
        translateErrors(() =>
          db.transaction(async (tx) => {
            const [row] = await tx
              .insert(invitations)
              .values({ id: securityId('inv'), orgId, ...input, email: input.email.toLowerCase() })
              .returning();
            await insertAudit(tx, orgId, {
              ...audit,
              action: 'member.invited',
              target: row!.id,
              details: { email: row!.email, role: row!.role },
            });
            return toInvitation(row!);
          }),
        ),
      revoke: (id, audit) =>
        translateErrors(() =>
          db.transaction(async (tx) => {
            const rows = await tx
              .update(invitations)
              .set({ revokedAt: new Date() })
              .where(and(org(invitations), eq(invitations.id, id), isNull(invitations.acceptedAt)))
              .returning();
            if (rows.length === 0) throw new MembershipError('not_found', 'invitation not found');
            await insertAudit(tx, orgId, { ...audit, action: 'invitation.revoked', target: id });
          }),
        ),
    },
    audit: {
      record: (entry) => translateErrors(() => insertAudit(db, orgId, entry)),
      list: (opts) =>
        translateErrors(async () =>
          (
            await db
              .select()
              .from(auditLog)
              .where(
                and(
                  eq(auditLog.orgId, orgId),
                  opts?.action ? eq(auditLog.action, opts.action) : undefined,
                  opts?.before ? lt(auditLog.id, opts.before) : undefined,
                ),
              )
              .orderBy(desc(auditLog.id))
              .limit(Math.min(opts?.limit ?? 100, 500))
          ).map((row) => ({
            ...row,
            id: row.id as AuditId,
            orgId,
            action: row.action as never,
          })),
        ),
    },
    secrets: securitySecrets(db, orgId),
  };
}

export function createSecurityStorage(
  source: DatabaseSource,
  opts: { maxConnections?: number } = {},
): SecurityStorage {
  const database = useDatabase(source, { maxConnections: opts.maxConnections ?? 3 });
  const { db } = database;
  return {
    forOrg: (orgId) => securityStore(db, orgId),
    acceptInvitation: (tokenHash, user) =>
      translateErrors(() =>
        db.transaction(async (tx) => {
          const [row] = await tx
            .select()
            .from(invitations)
            .where(
              and(
                eq(invitations.tokenHash, tokenHash),
                isNull(invitations.acceptedAt),
                isNull(invitations.revokedAt),
                gt(invitations.expiresAt, new Date()),
              ),
            )
            .for('update');
          if (!row)
            throw new MembershipError('invitation_invalid', 'the invitation is invalid, used or expired');
          // Bound to the invited address: a leaked link is useless to anyone else.
          if (row.email.trim().toLowerCase() !== user.email.trim().toLowerCase())
            throw new MembershipError(
              'invitation_email_mismatch',
              'this invitation was sent to a different email address; sign in with the invited address to accept it',
            );
          const orgId = row.orgId as OrgId;
          const [existing] = await tx
            .select()
            .from(members)
            .where(and(eq(members.orgId, orgId), eq(members.userId, user.userId)));
          if (existing)
            throw new MembershipError('already_member', 'you are already a member of this organisation');
          const [member] = await tx
            .insert(members)
            .values({ id: securityId('mem') as MemberId, orgId, ...user, role: row.role })
            .returning();
          const [accepted] = await tx
            .update(invitations)
            .set({ acceptedAt: new Date() })
            .where(eq(invitations.id, row.id))
            .returning();
          await insertAudit(tx, orgId, {
            actor: `user:${user.userId}`,
            action: 'member.joined',
            target: member!.id,
            details: { invitationId: row.id, role: row.role, email: user.email },
          });
          return { invitation: toInvitation(accepted!), member: toMember(member!) };
        }),
      ),
    close: database.close,
  };
}
