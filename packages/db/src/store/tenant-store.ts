import type { Change, OrgId, TenantStore } from '@omakase/domain';
import { eq } from 'drizzle-orm';
import { StorageError } from '../errors';
import { organizations } from '../schema';
import { baselineRepository } from './baselines';
import { type Db, notifyChanges, TenantContext } from './context';
import { eventRepository } from './events';
import { featureRepository } from './features';
import { linearLinkRepository } from './linear-links';
import { toOrganization } from './mappers';
import { memberRepository } from './members';
import { pipelineUnits } from './pipeline';
import { projectRepository } from './projects';
import { runRepository } from './runs';
import { insertAudit } from './security-members';
import { tenantWork } from './work';

/**
 * A store bound to one organisation. `pending`, when `db` is a transaction: where its writes
 * collect their changes until the transaction publishes them (see TenantContext).
 */
export function createTenantStore(db: Db, orgId: OrgId, pending: Change[] | null = null): TenantStore {
  const ctx = new TenantContext(db, orgId, pending);
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
    linearLinks: linearLinkRepository(ctx),
    pipeline: pipelineUnits(ctx),
    // Nested calls become savepoints of the outer transaction, publishing what they changed.
    transaction: (fn) =>
      db.transaction(async (tx) => {
        const changes: Change[] = [];
        const result = await fn(createTenantStore(tx, orgId, changes));
        await notifyChanges(tx, changes);
        return result;
      }),
  };
}
