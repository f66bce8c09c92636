import type { ProjectId, RunId, TenantStore, TestBaseline } from '@omakase/domain';
import { eq, sql } from 'drizzle-orm';
import { testBaselines } from '../schema';
import type { TenantContext } from './context';

export function baselineRepository(ctx: TenantContext): TenantStore['baselines'] {
  const key = (projectId: ProjectId, baseCommit: string, command: string) =>
    ctx.where(
      testBaselines,
      eq(testBaselines.projectId, projectId),
      eq(testBaselines.baseCommit, baseCommit),
      eq(testBaselines.command, command),
    );
  return {
    get: (projectId, baseCommit, command) =>
      ctx.read(async (db) => {
        const [row] = await db
          .select()
          .from(testBaselines)
          .where(key(projectId, baseCommit, command));
        return row ? toBaseline(row) : null;
      }),

    put: (baseline) =>
      ctx.write(async (db) => {
        const inserted = await db
          .insert(testBaselines)
          .values(ctx.owned({ ...baseline }))
          .onConflictDoNothing()
          .returning({ runId: testBaselines.runId });
        return inserted.length === 1;
      }),

    countReuse: (projectId, baseCommit, command) =>
      ctx.write(async (db) => {
        await db
          .update(testBaselines)
          .set({ reuses: sql`${testBaselines.reuses} + 1` })
          .where(key(projectId, baseCommit, command));
      }),
  };
}

function toBaseline(row: typeof testBaselines.$inferSelect): TestBaseline {
  return {
    projectId: row.projectId as ProjectId,
    baseCommit: row.baseCommit,
    command: row.command,
    summary: row.summary as Record<string, unknown>,
    runId: row.runId as RunId,
    reuses: row.reuses,
    createdAt: row.createdAt,
  };
}
