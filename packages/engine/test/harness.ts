import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import type { Feature, RunId, TenantStore } from '@omakase/domain';
import { completeRun, type ReportedRunResult, recordRunResult } from '../src';

export interface Harness {
  db: TestDatabase;
  storage: PostgresStorage;
  store: TenantStore;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const storage = createStorage(db.url);
  const org = await storage.organizations.create({ name: 'Acme', externalId: `org_${db.name}` });
  const store = storage.forOrg(org.id);
  return {
    db,
    storage,
    store,
    async close() {
      await storage.close();
      await db.drop();
    },
  };
}

/** The latest run of a feature, as the orchestrator would launch it. */
export async function latestRun(store: TenantStore, feature: Feature) {
  const runs = await store.runs.listByFeature(feature.id);
  return runs.at(-1)!;
}

/** Plays a runner reporting `output` for the feature's latest run, then the completion step. */
export async function finishLatestRun(
  store: TenantStore,
  feature: Feature,
  output: Record<string, unknown> | null,
  outcome: ReportedRunResult['outcome'] = 'succeeded',
) {
  const run = await latestRun(store, feature);
  await store.transaction((tx) =>
    recordRunResult(tx, run.id as RunId, {
      outcome,
      output,
      tokensIn: 100,
      tokensOut: 50,
      costUsd: 0.01,
      exitReason: outcome === 'succeeded' ? 'submitted' : 'agent_error',
    }),
  );
  return store.transaction((tx) => completeRun(tx, run.id));
}

export const PLAN = { summary: 'Add it', files: ['src/a.js'], steps: ['write'], risks: [] };
export const APPROVE = { verdict: 'APPROVE', comments: [] };
export const CHANGES = {
  verdict: 'REQUEST_CHANGES',
  comments: [{ file: 'src/a.js', line: 3, body: 'Name it better' }],
};
export const PASSED = { passed: true, total: 4, failed: 0, failures: [] };
/** A setup run with nothing to install and no test command. */
export const SETUP_READY = { setup: null, environment: null, baseline: null };
