import type { CostTotals, FeatureId, ProjectId, RunId, TenantStore } from '@omakase/domain';
import { LIVE_RUN_STATUSES, newId } from '@omakase/domain';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { StorageError } from '../errors';
import { agentRuns, features } from '../schema';
import type { Db, TenantContext } from './context';
import { toRun } from './mappers';

export function runRepository(ctx: TenantContext): TenantStore['runs'] {
  const costWhere = (db: Db, condition: SQL): Promise<CostTotals> =>
    db
      .select({
        tokensIn: sql<number>`coalesce(sum(${agentRuns.tokensIn}), 0)::float8`,
        tokensOut: sql<number>`coalesce(sum(${agentRuns.tokensOut}), 0)::float8`,
        costUsd: sql<number>`coalesce(sum(${agentRuns.costUsd}), 0)::float8`,
        computeSeconds: sql<number>`coalesce(sum(${agentRuns.computeSeconds}), 0)::float8`,
        runs: sql<number>`count(*)::int`,
      })
      .from(agentRuns)
      .where(ctx.where(agentRuns, condition))
      .then(([totals]) => totals!);

  return {
    listByFeature: (featureId) =>
      ctx.read(async (db) =>
        (
          await db
            .select()
            .from(agentRuns)
            .where(ctx.where(agentRuns, eq(agentRuns.featureId, featureId)))
            .orderBy(asc(agentRuns.createdAt), asc(agentRuns.id))
        ).map(toRun),
      ),

    get: (id) =>
      ctx.read(async (db) => {
        const [row] = await db
          .select()
          .from(agentRuns)
          .where(ctx.where(agentRuns, eq(agentRuns.id, id)));
        return row ? toRun(row) : null;
      }),

    create: (input) =>
      ctx.write(async (db, emit) => {
        // The engine knows the feature's project; other callers have it looked up.
        const [feature] = input.projectId
          ? [{ projectId: input.projectId }]
          : await db
              .select({ projectId: features.projectId })
              .from(features)
              .where(ctx.where(features, eq(features.id, input.featureId)));
        if (!feature) throw new StorageError('not_found', `feature ${input.featureId} not found`);
        const [row] = await db
          .insert(agentRuns)
          .values(
            ctx.owned({
              id: newId('run'),
              projectId: feature.projectId,
              featureId: input.featureId,
              role: input.role,
              attempt: input.attempt ?? 1,
              input: input.input ?? {},
            }),
          )
          .returning();
        emit({
          projectId: feature.projectId as ProjectId,
          entity: 'run',
          id: row!.id,
          op: 'insert',
          status: row!.status,
        });
        return toRun(row!);
      }),

    update: (id, patch, opts) =>
      ctx.write(async (db, emit) => {
        const [row] = await db
          .update(agentRuns)
          .set({
            status: patch.status,
            output: patch.output,
            startedAt: patch.startedAt,
            finishedAt: patch.finishedAt,
            tokensIn: patch.tokensIn,
            tokensOut: patch.tokensOut,
            costUsd: patch.costUsd,
            usageByModel: patch.usageByModel,
            computeSeconds: patch.computeSeconds,
            exitReason: patch.exitReason,
            baseCommit: patch.baseCommit,
          })
          .where(
            ctx.where(
              agentRuns,
              eq(agentRuns.id, id),
              opts?.expectedStatus ? eq(agentRuns.status, opts.expectedStatus) : undefined,
            ),
          )
          .returning();
        if (!row) return null;
        emit({
          projectId: row.projectId as ProjectId,
          entity: 'run',
          id: id as RunId,
          op: 'update',
          status: row.status,
        });
        return toRun(row);
      }),

    costByFeature: (featureId) => ctx.read((db) => costWhere(db, eq(agentRuns.featureId, featureId))),
    costByProject: (projectId) => ctx.read((db) => costWhere(db, eq(agentRuns.projectId, projectId))),

    costByFeatures: (projectId) =>
      ctx.read(async (db) => {
        const rows = await db
          .select({
            featureId: agentRuns.featureId,
            tokensIn: sql<number>`coalesce(sum(${agentRuns.tokensIn}), 0)::float8`,
            tokensOut: sql<number>`coalesce(sum(${agentRuns.tokensOut}), 0)::float8`,
            costUsd: sql<number>`coalesce(sum(${agentRuns.costUsd}), 0)::float8`,
            computeSeconds: sql<number>`coalesce(sum(${agentRuns.computeSeconds}), 0)::float8`,
            runs: sql<number>`count(*)::int`,
          })
          .from(agentRuns)
          .where(ctx.where(agentRuns, eq(agentRuns.projectId, projectId)))
          .groupBy(agentRuns.featureId);
        return new Map(rows.map(({ featureId, ...totals }) => [featureId as FeatureId, totals]));
      }),

    listActiveByProject: (projectId) =>
      ctx.read(async (db) =>
        (
          await db
            .select()
            .from(agentRuns)
            .where(
              ctx.where(
                agentRuns,
                and(eq(agentRuns.projectId, projectId), inArray(agentRuns.status, [...LIVE_RUN_STATUSES])),
              ),
            )
            .orderBy(asc(agentRuns.createdAt), asc(agentRuns.id))
        ).map(toRun),
      ),
  };
}
