import { mergeSettingsPatch, newId, type ProjectId, type TenantStore } from '@omakase/domain';
import { asc, eq, sql } from 'drizzle-orm';
import { projects } from '../schema';
import type { TenantContext } from './context';
import { DEFAULT_PROJECT_SETTINGS, detectedToJson, toProject } from './mappers';

export function projectRepository(ctx: TenantContext): TenantStore['projects'] {
  return {
    list: () =>
      ctx.read(async (db) =>
        (await db.select().from(projects).where(ctx.where(projects)).orderBy(asc(projects.name))).map(
          toProject,
        ),
      ),

    get: (id) =>
      ctx.read(async (db) => {
        const [row] = await db
          .select()
          .from(projects)
          .where(ctx.where(projects, eq(projects.id, id)));
        return row ? toProject(row) : null;
      }),

    create: (input) =>
      ctx.write(async (db, emit) => {
        const [row] = await db
          .insert(projects)
          .values(
            ctx.owned({
              id: newId('proj'),
              name: input.name,
              keyPrefix: input.keyPrefix,
              repositoryUrl: input.repositoryUrl,
              defaultBranch: input.defaultBranch ?? 'main',
              settings: mergeSettingsPatch(DEFAULT_PROJECT_SETTINGS, input.settings ?? {}),
            }),
          )
          .returning();
        emit({ projectId: row!.id as ProjectId, entity: 'project', id: row!.id, op: 'insert' });
        return toProject(row!);
      }),

    update: (id, patch) =>
      ctx.write(async (db, emit) => {
        // Merged under the row's lock, so concurrent partial updates of different settings both survive.
        let settings: Record<string, unknown> | undefined;
        if (patch.settings) {
          const [current] = await db
            .select({ settings: projects.settings })
            .from(projects)
            .where(ctx.where(projects, eq(projects.id, id)))
            .for('update');
          if (!current) return null;
          settings = mergeSettingsPatch(current.settings, patch.settings);
        }
        const [row] = await db
          .update(projects)
          .set({
            name: patch.name,
            repositoryUrl: patch.repositoryUrl,
            defaultBranch: patch.defaultBranch,
            status: patch.status,
            settings,
            detectedCommands:
              patch.detectedCommands === undefined ? undefined : detectedToJson(patch.detectedCommands),
            updatedAt: sql`now()`,
          })
          .where(ctx.where(projects, eq(projects.id, id)))
          .returning();
        if (!row) return null;
        emit({ projectId: id, entity: 'project', id, op: 'update' });
        return toProject(row);
      }),

    delete: (id) =>
      ctx.write(async (db, emit) => {
        const rows = await db
          .delete(projects)
          .where(ctx.where(projects, eq(projects.id, id)))
          .returning({ id: projects.id });
        if (rows.length === 0) return false;
        emit({ projectId: id, entity: 'project', id, op: 'delete' });
        return true;
      }),
  };
}
