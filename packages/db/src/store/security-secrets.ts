/** Encrypted secrets and the org's wrapped data key: ciphertext in, metadata out. */
import type { OrgId, SecretMetadata, SecurityStore } from '@omakase/domain';
import { and, asc, eq } from 'drizzle-orm';
import { translateErrors } from '../errors';
import { orgDataKeys, orgSecrets } from '../schema';
import type { Db } from './context';
import { insertAudit, securityId } from './security-members';

const toMetadata = (row: typeof orgSecrets.$inferSelect): SecretMetadata => ({
  name: row.name,
  last4: row.last4,
  updatedBy: row.updatedBy,
  updatedAt: row.updatedAt,
});

export function securitySecrets(db: Db, orgId: OrgId): SecurityStore['secrets'] {
  const scoped = (name: string) => and(eq(orgSecrets.orgId, orgId), eq(orgSecrets.name, name));
  return {
    list: () =>
      translateErrors(async () =>
        (
          await db.select().from(orgSecrets).where(eq(orgSecrets.orgId, orgId)).orderBy(asc(orgSecrets.name))
        ).map(toMetadata),
      ),
    get: (name) =>
      translateErrors(async () => {
        const [row] = await db.select().from(orgSecrets).where(scoped(name));
        return row ? { ...toMetadata(row), ciphertext: row.ciphertext } : null;
      }),
    put: (input, audit) =>
      translateErrors(() =>
        db.transaction(async (tx) => {
          const [row] = await tx
            .insert(orgSecrets)
            .values({ id: securityId('sec'), orgId, ...input })
            .onConflictDoUpdate({
              target: [orgSecrets.orgId, orgSecrets.name],
              set: {
                ciphertext: input.ciphertext,
                last4: input.last4,
                updatedBy: input.updatedBy,
                updatedAt: new Date(),
              },
            })
            .returning();
          await insertAudit(tx, orgId, { ...audit, action: 'secret.saved', target: input.name });
          return toMetadata(row!);
        }),
      ),
    delete: (name, audit) =>
      translateErrors(() =>
        db.transaction(async (tx) => {
          const rows = await tx.delete(orgSecrets).where(scoped(name)).returning({ id: orgSecrets.id });
          if (rows.length > 0)
            await insertAudit(tx, orgId, { ...audit, action: 'secret.deleted', target: name });
          return rows.length > 0;
        }),
      ),
    dataKey: () =>
      translateErrors(async () => {
        const [row] = await db.select().from(orgDataKeys).where(eq(orgDataKeys.orgId, orgId));
        return row ? { wrappedKey: row.wrappedKey, keyId: row.keyId } : null;
      }),
    ensureDataKey: (candidate) =>
      translateErrors(async () => {
        await db
          .insert(orgDataKeys)
          .values({ orgId, ...candidate })
          .onConflictDoNothing();
        const [row] = await db.select().from(orgDataKeys).where(eq(orgDataKeys.orgId, orgId));
        return { wrappedKey: row!.wrappedKey, keyId: row!.keyId };
      }),
  };
}
