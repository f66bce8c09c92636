/** Membership changes with the at-least-one-owner invariant, and their audit entries. */
import {
  type AuditEntry,
  type AuditId,
  type MemberId,
  MembershipError,
  type NewAuditEntry,
  type OrgId,
  type Role,
  type SecurityStore,
} from '@omakase/domain';
import { and, asc, eq, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { translateErrors } from '../errors';
import { auditLog, members } from '../schema';
import { CHANGES_CHANNEL, type Db } from './context';
import { toMember } from './mappers';

export const securityId = <P extends string>(prefix: P) =>
  `${prefix}_${ulid().toLowerCase()}` as `${P}_${string}`;

export async function insertAudit(db: Db, orgId: OrgId, entry: NewAuditEntry): Promise<AuditEntry> {
  const [row] = await db
    .insert(auditLog)
    .values({ id: securityId('aud'), orgId, ...entry, details: entry.details ?? {} })
    .returning();
  return { ...row!, id: row!.id as AuditId, orgId, action: entry.action, details: row!.details };
}

/**
 * Announces a membership change on the change feed (delivered on commit): open streams of the
 * org re-check their caller, so a removed or demoted member stops receiving at once.
 */
async function notifyMemberChange(db: Db, orgId: OrgId, id: MemberId, op: 'update' | 'delete') {
  const change = { orgId, projectId: null, entity: 'member', id, op };
  await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`);
}

/** Locks the org's owner rows so two concurrent demotions cannot both see "another owner left". */
async function assertOwnerRemains(db: Db, orgId: OrgId, leaving: MemberId): Promise<void> {
  const owners = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.role, 'owner')))
    .for('update');
  if (owners.every((o) => o.id === leaving)) {
    throw new MembershipError('last_owner', 'an organisation must keep at least one owner');
  }
}

export function securityMembers(db: Db, orgId: OrgId): SecurityStore['members'] {
  const find = async (tx: Db, id: MemberId) => {
    const [row] = await tx
      .select()
      .from(members)
      .where(and(eq(members.orgId, orgId), eq(members.id, id)));
    return row ? toMember(row) : null;
  };
  return {
    list: () =>
      translateErrors(async () =>
        (await db.select().from(members).where(eq(members.orgId, orgId)).orderBy(asc(members.createdAt))).map(
          toMember,
        ),
      ),
    get: (id) => translateErrors(() => find(db, id)),
    getByUserId: (userId) =>
      translateErrors(async () => {
        const [row] = await db
          .select()
          .from(members)
          .where(and(eq(members.orgId, orgId), eq(members.userId, userId)));
        return row ? toMember(row) : null;
      }),
    changeRole: (id, role: Role, audit) =>
      translateErrors(() =>
        db.transaction(async (tx) => {
          const member = await find(tx, id);
          if (!member) throw new MembershipError('not_found', 'member not found');
          if (member.role === 'owner' && role !== 'owner') await assertOwnerRemains(tx, orgId, id);
          const [row] = await tx.update(members).set({ role }).where(eq(members.id, id)).returning();
          await notifyMemberChange(tx, orgId, id, 'update');
          await insertAudit(tx, orgId, {
            ...audit,
            action: 'member.role_changed',
            target: id,
            details: { ...audit.details, userId: member.userId, from: member.role, to: role },
          });
          return toMember(row!);
        }),
      ),
    remove: (id, audit) =>
      translateErrors(() =>
        db.transaction(async (tx) => {
          const member = await find(tx, id);
          if (!member) throw new MembershipError('not_found', 'member not found');
          if (member.role === 'owner') await assertOwnerRemains(tx, orgId, id);
          await tx.delete(members).where(eq(members.id, id));
          await notifyMemberChange(tx, orgId, id, 'delete');
          await insertAudit(tx, orgId, {
            ...audit,
            target: id,
            details: { ...audit.details, userId: member.userId, email: member.email, role: member.role },
          });
        }),
      ),
  };
}
