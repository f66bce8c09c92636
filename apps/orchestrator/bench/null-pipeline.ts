/**
 * Orchestration alone: 1,000 features in a dependency DAG through the real orchestrator, engine
 * and Postgres, with agents that finish at once (scripted results) and git replaced by nothing.
 * Checks that no transition is lost or duplicated (4 runs per feature, all done) and reports
 * transitions/s and the overhead per stage (run created → next run created, agent time ≈ 0).
 */
import { randomBytes } from 'node:crypto';
import { createStorage } from '@omakase/db';
import type { AgentRun, Feature, FeatureId } from '@omakase/domain';
import { startProject } from '@omakase/engine';
import type { Workspaces } from '../src/git/publish';
import { startOrchestrator } from '../src/orchestrator';
import { localRunTokens } from '../src/run-tokens';
import { scriptedDriver } from './scripted-agents';
import { mean, percentile, quietLogger, withDatabase } from './support';

export interface NullPipelineResult {
  features: number;
  capacity: number;
  seconds: number;
  transitions: number;
  transitionsPerSecond: number;
  stageOverheadMeanMs: number;
  stageOverheadP95Ms: number;
  lostOrDuplicated: number;
}

/** No git: the workspace is a path nobody reads and publishing pushes nothing. */
export const nullWorkspaces: Workspaces = {
  prepare: async (_project, feature) => `/nonexistent/${feature.id}`,
  publish: async () => ({ pullRequestUrl: null }),
  remove: async () => {},
};

const STAGES_PER_FEATURE = 6; // start, plan_ready, code_ready, review, test_report, branch_pushed
const ROLES = ['architect', 'coder', 'reviewer', 'tester'];

export async function benchNullPipeline(opts: { features?: number; capacity?: number } = {}) {
  const { features: count = 1000, capacity = 50 } = opts;
  return withDatabase(async (url): Promise<NullPipelineResult> => {
    const storage = createStorage(url, { maxConnections: 40 });
    const org = await storage.organizations.create({
      name: 'bench',
      externalId: `org_${randomBytes(6).toString('hex')}`,
    });
    const store = storage.forOrg(org.id);
    const project = await store.projects.create({
      name: 'bench',
      keyPrefix: 'BEN',
      repositoryUrl: 'file:///nonexistent',
      settings: { maxConcurrentAgents: capacity, budgetPerFeatureUsd: 100, commandAllowlist: [] },
    });
    // A DAG: each feature depends on up to two of the 60 features before it.
    const ids: FeatureId[] = [];
    for (let i = 0; i < count; i++) {
      const dependsOn = [
        ...new Set([i - 1 - (i % 7), i - 13 - (i % 47)].filter((j) => j >= 0 && j >= i - 60)),
      ].map((j) => ids[j]!);
      ids.push((await store.features.create(project.id, { title: `Feature ${i}`, dependsOn })).id);
    }
    const orchestrator = await startOrchestrator({
      storage,
      driver: scriptedDriver(storage),
      workspaces: nullWorkspaces,
      workerId: 'bench',
      leaseMs: 60_000,
      concurrency: 32,
      apiUrl: 'http://127.0.0.1:9',
      runTokens: localRunTokens(randomBytes(32).toString('hex')),
      workspacesDir: '/nonexistent',
      orgMaxConcurrentAgents: capacity,
      model: {},
      logger: quietLogger(),
    });
    const started = performance.now();
    try {
      await startProject(store, project.id);
      await untilAllDone(
        () => store.features.list(project.id),
        count,
        async (stuck) => {
          const runs = await store.runs.listByFeature(stuck.id);
          return runs.map((r) => `${r.role}#${r.attempt}:${r.status}:${r.exitReason}`).join(', ');
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const runsPerFeature = await Promise.all(ids.map((id) => store.runs.listByFeature(id)));
      const lostOrDuplicated = runsPerFeature.filter((runs) => !isCleanPipeline(runs)).length;
      const gaps = runsPerFeature.flatMap((runs) =>
        runs.slice(1).map((run, i) => run.createdAt.getTime() - runs[i]!.createdAt.getTime()),
      );
      const transitions = count * STAGES_PER_FEATURE;
      return {
        features: count,
        capacity,
        seconds,
        transitions,
        transitionsPerSecond: transitions / seconds,
        stageOverheadMeanMs: mean(gaps),
        stageOverheadP95Ms: percentile(gaps, 95),
        lostOrDuplicated,
      };
    } finally {
      await orchestrator.stop();
      await storage.close();
    }
  });
}

/** Exactly one succeeded run per role, in pipeline order. */
function isCleanPipeline(runs: AgentRun[]): boolean {
  return runs.length === 4 && runs.every((run, i) => run.role === ROLES[i] && run.status === 'succeeded');
}

async function untilAllDone(
  list: () => Promise<Feature[]>,
  count: number,
  explain: (stuck: Feature) => Promise<string>,
  timeoutMs = 600_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const features = await list();
    const done = features.filter((f) => f.status === 'done').length;
    if (done === count) return;
    const stuck = features.find((f) => f.status === 'failed' || f.status === 'needs_input');
    if (stuck) throw new Error(`${stuck.key} ended ${stuck.status}: ${await explain(stuck)}`);
    if (Date.now() > deadline) throw new Error(`only ${done}/${count} features done`);
    // A benchmark's progress check, not test synchronisation: one cheap query per 200 ms.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
