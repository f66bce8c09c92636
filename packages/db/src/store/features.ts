import type { FeatureId, FeaturePatch, FeatureStatus, ProjectId, TenantStore } from '@omakase/domain';
import { ACTIVE_FEATURE_STATUSES, newId } from '@omakase/domain';
import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { StorageError } from '../errors';
import { featureDependencies, features, projects } from '../schema';
import type { Db, TenantContext } from './context';
import { needsInputToJson, toFeature } from './mappers';

/** The feature's dependencies in the order they were given, as a `text[]` column. */
const dependsOnColumn = sql<string[]>`coalesce((
  select array_agg(${featureDependencies.dependsOnId} order by ${featureDependencies.position})
  from ${featureDependencies}
  where ${featureDependencies.featureId} = ${features.id} and ${featureDependencies.orgId} = ${features.orgId}
), '{}')`;

const ACTIVE_STATUSES: FeatureStatus[] = [...ACTIVE_FEATURE_STATUSES];
const featureWithDeps = { ...getTableColumns(features), dependsOn: dependsOnColumn };

export function featureRepository(ctx: TenantContext): TenantStore['features'] {
  const replaceDependencies = async (db: Db, featureId: FeatureId, dependsOn: FeatureId[]) => {
    await db
      .delete(featureDependencies)
      .where(ctx.where(featureDependencies, eq(featureDependencies.featureId, featureId)));
    if (dependsOn.length === 0) return;
    // The composite FK (org_id, depends_on_id) rejects another org's feature ids.
    await db
      .insert(featureDependencies)
      .values(dependsOn.map((dependsOnId, position) => ctx.owned({ featureId, dependsOnId, position })));
  };

  const get = (db: Db, id: FeatureId) =>
    db
      .select(featureWithDeps)
      .from(features)
      .where(ctx.where(features, eq(features.id, id)))
      .then(([row]) => (row ? toFeature(row, row.dependsOn) : null));

  return {
    list: (projectId) =>
      ctx.read(async (db) => {
        const rows = await db
          .select(featureWithDeps)
          .from(features)
          .where(ctx.where(features, eq(features.projectId, projectId)))
          // Keys share the project prefix, so (length, key) orders DEMO-2 before DEMO-10.
          .orderBy(sql`length(${features.key})`, asc(features.key));
        return rows.map((row) => toFeature(row, row.dependsOn));
      }),

    listActive: () =>
      ctx.read(async (db) => {
        const rows = await db
          .select(featureWithDeps)
          .from(features)
          .where(ctx.where(features, inArray(features.status, ACTIVE_STATUSES)))
          .orderBy(asc(features.id));
        return rows.map((row) => toFeature(row, row.dependsOn));
      }),

    get: (id) => ctx.read((db) => get(db, id)),

    create: (projectId, input) =>
      ctx.write(async (db, emit) => {
        // Allocates the key under the project's row lock: concurrent creates get distinct numbers.
        const [counter] = await db
          .update(projects)
          .set({ nextFeatureNumber: sql`${projects.nextFeatureNumber} + 1` })
          .where(ctx.where(projects, eq(projects.id, projectId)))
          .returning({
            number: sql<number>`${projects.nextFeatureNumber} - 1`,
            keyPrefix: projects.keyPrefix,
          });
        if (!counter) throw new StorageError('not_found', `project ${projectId} not found`);
        const id = newId('feat');
        const [row] = await db
          .insert(features)
          .values(
            ctx.owned({
              id,
              projectId,
              key: `${counter.keyPrefix}-${counter.number}`,
              title: input.title,
              description: input.description ?? '',
              acceptanceCriteria: input.acceptanceCriteria ?? [],
              category: input.category ?? 'general',
              priority: input.priority ?? 0,
              linearIssueId: input.linearIssueId ?? null,
              linearUrl: input.linearUrl ?? null,
              counters: { reviewRounds: 0, testRounds: 0 },
            }),
          )
          .returning();
        const dependsOn = input.dependsOn ?? [];
        await replaceDependencies(db, id, dependsOn);
        emit({ projectId, entity: 'feature', id, op: 'insert' });
        return toFeature(row!, dependsOn);
      }),

    update: (id, patch, opts) =>
      ctx.write(async (db, emit) => {
        const [row] = await db
          .update(features)
          .set({ ...featureColumns(patch), updatedAt: sql`now()` })
          .where(and(ctx.where(features, eq(features.id, id)), statusIs(opts?.expectedStatus)))
          .returning(featureWithDeps);
        if (!row) return null;
        emit({ projectId: row.projectId as ProjectId, entity: 'feature', id, op: 'update' });
        if (!patch.dependsOn) return toFeature(row, row.dependsOn);
        await replaceDependencies(db, id, patch.dependsOn);
        return get(db, id);
      }),

    delete: (id) =>
      ctx.write(async (db, emit) => {
        const [row] = await db
          .delete(features)
          .where(ctx.where(features, eq(features.id, id)))
          .returning({ projectId: features.projectId });
        if (!row) return false;
        emit({ projectId: row.projectId as ProjectId, entity: 'feature', id, op: 'delete' });
        return true;
      }),
  };
}

function statusIs(expected: FeatureStatus | undefined) {
  return expected === undefined ? undefined : eq(features.status, expected);
}

/** Patch → column values; `undefined` leaves a column untouched, `null` clears it. */
function featureColumns(patch: FeaturePatch): Partial<typeof features.$inferInsert> {
  return {
    title: patch.title,
    description: patch.description,
    acceptanceCriteria: patch.acceptanceCriteria,
    category: patch.category,
    priority: patch.priority,
    status: patch.status,
    needsInput: patch.needsInput === undefined ? undefined : needsInputToJson(patch.needsInput),
    branchName: patch.branchName,
    pullRequestUrl: patch.pullRequestUrl,
    linearIssueId: patch.linearIssueId,
    linearUrl: patch.linearUrl,
    counters: patch.counters,
  };
}
