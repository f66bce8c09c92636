import type { OrgId, TenantStore } from '@omakase/domain';
import { eq } from 'drizzle-orm';
import { StorageError } from '../errors';
import { organizations } from '../schema';
import { baselineRepository } from './baselines';
import { type Db, TenantContext } from './context';
import { eventRepository } from './events';
import { featureRepository } from './features';
import { toOrganization } from './mappers';
import { memberRepository } from './members';
import { projectRepository } from './projects';
import { runRepository } from './runs';
import { insertAudit } from './security-members';
import { lockScheduling, tenantWork } from './work';

/** A store bound to one organisation; `inTransaction` when `db` is a transaction. */
export function createTenantStore(db: Db, orgId: OrgId, inTransaction = false): TenantStore {
  const ctx = new TenantContext(db, orgId, inTransaction);
  return {
    orgId,
    organization: () =>
      ctx.read(async (tx) => {
        const [row] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
        if (!row) throw new StorageError('not_found', `organization ${orgId} not found`);
        return toOrganization(row);
      }),
    members: memberRepository(ctx),
    projects: projectRepository(ctx),
    features: featureRepository(ctx),
    runs: runRepository(ctx),
    baselines: baselineRepository(ctx),
    events: eventRepository(ctx),
    work: tenantWork(ctx),
    audit: {
      record: (entry) =>
        ctx.write(async (tx) => {
          await insertAudit(tx, orgId, entry);
        }),
    },
    lockScheduling: lockScheduling(ctx),
    // Nested calls become savepoints of the outer transaction.
    transaction: (fn) => db.transaction((tx) => fn(createTenantStore(tx, orgId, true))),
  };
}
