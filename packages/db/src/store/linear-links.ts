/** One org's Linear issue ↔ feature links, in the tenant store's transaction. */
import type { FeatureId, LinearIssueLinks } from '@omakase/domain';
import { eq } from 'drizzle-orm';
import { linearIssueLinks } from '../schema';
import type { TenantContext } from './context';
import { toLink } from './linear-rows';

export function linearLinkRepository(ctx: TenantContext): LinearIssueLinks {
  const byIssue = (issueId: string) => ctx.where(linearIssueLinks, eq(linearIssueLinks.issueId, issueId));
  const byFeature = (featureId: FeatureId) =>
    ctx.where(linearIssueLinks, eq(linearIssueLinks.featureId, featureId));
  return {
    get: (issueId) =>
      ctx.read(async (db) => {
        const [row] = await db.select().from(linearIssueLinks).where(byIssue(issueId));
        return row ? toLink(row) : null;
      }),
    byFeature: (featureId) =>
      ctx.read(async (db) => {
        const [row] = await db.select().from(linearIssueLinks).where(byFeature(featureId));
        return row ? toLink(row) : null;
      }),
    list: () =>
      ctx.read(async (db) =>
        (await db.select().from(linearIssueLinks).where(ctx.where(linearIssueLinks))).map(toLink),
      ),
    upsert: (input) =>
      ctx.write(async (db) => {
        const { pushedStatus, pushedRuns, ...rest } = input;
        const [row] = await db
          .insert(linearIssueLinks)
          .values(ctx.owned({ ...input, pushedRuns: pushedRuns ?? [] }))
          .onConflictDoUpdate({
            target: [linearIssueLinks.orgId, linearIssueLinks.issueId],
            set: {
              ...rest,
              ...(pushedStatus !== undefined ? { pushedStatus } : {}),
              ...(pushedRuns !== undefined ? { pushedRuns } : {}),
              updatedAt: new Date(),
            },
          })
          .returning();
        return toLink(row!);
      }),
    delete: (issueId) =>
      ctx.write(async (db) => {
        await db.delete(linearIssueLinks).where(byIssue(issueId));
      }),
  };
}
