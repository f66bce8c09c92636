/** Assertions on what a pipeline left in the database: each stage's result recorded once. */
import type { AgentRun, FeatureId, TenantStore } from '@omakase/domain';
import { WORK } from '@omakase/engine';
import postgres from 'postgres';
import { expect } from 'vitest';

/** The happy path's succeeded runs, in order (the scripted reviewer asks for changes once). */
export const HAPPY_ROLES = ['setup', 'architect', 'coder', 'reviewer', 'coder', 'reviewer', 'tester'];

export async function expectCompletedOnce(databaseUrl: string, store: TenantStore, featureId: FeatureId) {
  const runs = await store.runs.listByFeature(featureId);
  const succeeded = runs.filter((run) => run.status === 'succeeded');
  expect(succeeded.map((run) => run.role)).toEqual(HAPPY_ROLES);
  // A retried stage is a new run with the next attempt; no (role, attempt, round) twice.
  const feature = (await store.features.get(featureId))!;
  expect(feature.counters).toMatchObject({ reviewRounds: 1, testRounds: 0 });
  // Every finished run was completed (moved the pipeline or was judged stale) exactly once.
  const completions = await completionsPerRun(databaseUrl, runs);
  for (const run of runs) expect([run.id, completions.get(run.id) ?? 0]).toEqual([run.id, 1]);
  return runs;
}

async function completionsPerRun(databaseUrl: string, runs: AgentRun[]): Promise<Map<string, number>> {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    const rows = await sql<{ subject_id: string; n: number }[]>`
      select subject_id, count(*)::int as n from work_items
      where kind = ${WORK.completed} and subject_id in ${sql(runs.map((r) => r.id))}
      group by subject_id`;
    return new Map(rows.map((row) => [row.subject_id, row.n]));
  } finally {
    await sql.end();
  }
}
