/**
 * Orchestration alone: 1,000 features in a dependency DAG through the real orchestrator, engine
 * and Postgres, with agents that finish at once (scripted results) and git replaced by nothing.
 * Checks that no transition is lost or duplicated (5 runs per feature, all done) and reports
 * transitions/s and the overhead per stage (run created → next run created, agent time ≈ 0).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStorage } from '@omakase/db';
import type { AgentRun, FeatureId } from '@omakase/domain';
import { startProject } from '@omakase/engine';
import postgres from 'postgres';
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
  /** Statements sent to Postgres while the features ran (progress polling included), per transition. */
  roundTripsPerTransition: number;
  /** Where a stage's overhead goes: run created → started (launch), and finished → next run created. */
  launchMeanMs: number;
  completionMeanMs: number;
  /** CPU per transition: this process (orchestrator, engine, scripted agents) and Postgres's. */
  nodeCpuMsPerTransition: number;
  postgresCpuMsPerTransition: number;
}

/** No git: the workspace is a path nobody reads and publishing pushes nothing. */
export const nullWorkspaces: Workspaces = {
  prepare: async (_project, feature) => `/nonexistent/${feature.id}`,
  publish: async () => ({ pullRequestUrl: null }),
  remove: async () => {},
};

// start, setup_ready, plan_ready, code_ready, review, test_report, branch_pushed
const STAGES_PER_FEATURE = 7;
// Setup settles on the host (no commands, no environment) and the four agents run.
const ROLES = ['setup', 'architect', 'coder', 'reviewer', 'tester'];

export async function benchNullPipeline(opts: { features?: number; capacity?: number } = {}) {
  const { features: count = 1000, capacity = 50 } = opts;
  return withDatabase(async (url): Promise<NullPipelineResult> => {
    let counting = false;
    const statements = new Map<string, number>();
    const storage = createStorage(url, {
      maxConnections: 40,
      onQuery: (statement) => {
        if (!counting) return;
        const flat = statement.replace(/\s+/g, ' ');
        const at = flat.indexOf(' from ');
        const shape = (flat.slice(0, 60) + (at > 0 ? ` …${flat.slice(at, at + 160)}` : '')).slice(0, 230);
        statements.set(shape, (statements.get(shape) ?? 0) + 1);
      },
    });
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
    // Progress on a connection of its own, one count per 200 ms, not through the measured pool.
    const probe = postgres(url, { max: 1, onnotice: () => {} });
    const progress = async () => {
      const [row] = await probe<{ done: number; stuck: string | null }[]>`
        select count(*) filter (where status = 'done')::int as done,
               min(id) filter (where status in ('failed', 'needs_input')) as stuck
        from features where project_id = ${project.id}`;
      return { done: row!.done, stuck: row!.stuck as FeatureId | null };
    };
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const postgresCpuBefore = postgresCpuSeconds();
    counting = true;
    try {
      await startProject(store, project.id);
      await untilAllDone(progress, count, async (stuck) => {
        const runs = await store.runs.listByFeature(stuck);
        return runs.map((r) => `${r.role}#${r.attempt}:${r.status}:${r.exitReason}`).join(', ');
      });
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const postgresCpu = postgresCpuSeconds() - postgresCpuBefore;
      counting = false;
      const roundTrips = [...statements.values()].reduce((a, b) => a + b, 0);
      if (process.env.BENCH_STATEMENTS) {
        const top = [...statements].sort((a, b) => b[1] - a[1]).slice(0, 40);
        for (const [shape, n] of top) console.log(String(n).padStart(7), shape);
      }
      const runsPerFeature = await Promise.all(ids.map((id) => store.runs.listByFeature(id)));
      const lostOrDuplicated = runsPerFeature.filter((runs) => !isCleanPipeline(runs)).length;
      const gaps = runsPerFeature.flatMap((runs) =>
        runs.slice(1).map((run, i) => run.createdAt.getTime() - runs[i]!.createdAt.getTime()),
      );
      const launches = runsPerFeature
        .flat()
        .filter((run) => run.startedAt)
        .map((run) => run.startedAt!.getTime() - run.createdAt.getTime());
      if (process.env.BENCH_STATEMENTS) {
        const unstarted = runsPerFeature.flat().filter((run) => !run.startedAt);
        console.log('runs without a start', unstarted.length, [...new Set(unstarted.map((r) => r.role))]);
      }
      const completions = runsPerFeature.flatMap((runs) =>
        runs.slice(1).map((run, i) => run.createdAt.getTime() - (runs[i]!.finishedAt?.getTime() ?? 0)),
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
        roundTripsPerTransition: roundTrips / transitions,
        launchMeanMs: mean(launches),
        completionMeanMs: mean(completions),
        nodeCpuMsPerTransition: (cpu.user + cpu.system) / 1000 / transitions,
        postgresCpuMsPerTransition: (postgresCpu * 1000) / transitions,
      };
    } finally {
      await orchestrator.stop();
      await storage.close();
      await probe.end();
    }
  });
}

/** CPU seconds of the machine's postgres processes so far (the pool's backends live through the run). */
function postgresCpuSeconds(): number {
  const pids = execFileSync('ps', ['-C', 'postgres', '-o', 'pid='], { encoding: 'utf8' }).split('\n');
  let ticks = 0;
  for (const pid of pids.map((p) => p.trim()).filter(Boolean)) {
    try {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks / 100; // USER_HZ
}

/** Exactly one succeeded run per role, in pipeline order. */
function isCleanPipeline(runs: AgentRun[]): boolean {
  return (
    runs.length === ROLES.length &&
    runs.every((run, i) => run.role === ROLES[i] && run.status === 'succeeded')
  );
}

async function untilAllDone(
  progress: () => Promise<{ done: number; stuck: FeatureId | null }>,
  count: number,
  explain: (stuck: FeatureId) => Promise<string>,
  timeoutMs = 600_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, stuck } = await progress();
    if (done === count) return;
    if (stuck) throw new Error(`${stuck} ended failed or needs input: ${await explain(stuck)}`);
    if (Date.now() > deadline) throw new Error(`only ${done}/${count} features done`);
    // A benchmark's progress check, not test synchronisation: one cheap query per 200 ms.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
