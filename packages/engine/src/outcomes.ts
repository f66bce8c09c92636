/**
 * From a finished agent run to the next pipeline step. The runner reports its result through
 * the API (`recordRunResult`); the orchestrator notices compute that ended without one
 * (`recordRunLost`). Both enqueue `run.completed`, whose handler (`completeRun`) turns the
 * structured verdict into a pipeline event. A result is recorded at most once per run, and a
 * run's completion moves the pipeline at most once, whoever processes it and however often.
 */
import {
  baselineSummarySchema,
  type PlatformVerdict,
  planSchema,
  platformVerdictSchema,
  reviewSchema,
  setupOutputSchema,
  testReportSchema,
} from '@omakase/api-contract';
import {
  type AgentRun,
  type ClaimedWork,
  DEFAULT_PIPELINE_LIMITS,
  isFinishedRun,
  type PipelineEvent,
  type RunId,
  type RunSnapshot,
  STAGE_ROLE,
  type TenantStore,
  type UsageByModel,
  type WorkHandOff,
} from '@omakase/domain';
import { type ApplyOptions, type PlannedTransition, planTransition } from './apply';
import { budgetOf } from './budget';
import { WORK } from './work';

/** A run's own report of how it ended (through the runner API), as the engine records it. */
export interface ReportedRunResult {
  outcome: 'succeeded' | 'failed';
  output: Record<string, unknown> | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  usageByModel?: UsageByModel;
  exitReason: string | null;
}

const isFinished = isFinishedRun;
/**
 * Records the runner's own report. Returns false when the run had already finished. A setup run's
 * baseline (the test command on its base commit) is kept for every later run on that commit.
 */
export function recordRunResult(
  store: TenantStore,
  runId: RunId,
  result: ReportedRunResult,
  opts: {
    now?: Date;
    completeWork?: ClaimedWork;
    /** A run settled without compute starts here too (from `baseCommit`). */
    settledWithoutCompute?: { baseCommit: string | null };
  } = {},
): Promise<boolean> {
  const now = opts.now ?? new Date();
  const baseline =
    result.outcome === 'succeeded' ? baselineSummarySchema.safeParse(result.output?.baseline) : null;
  const settled = opts.settledWithoutCompute;
  return store.pipeline.finishRun(
    runId,
    {
      status: result.outcome,
      finishedAt: now,
      ...(settled ? { startedAt: now, baseCommit: settled.baseCommit } : {}),
      output: result.output,
      tokensIn: result.tokensIn,
      tokensOut: result.tokensOut,
      costUsd: result.costUsd,
      ...(result.usageByModel ? { usageByModel: result.usageByModel } : {}),
      exitReason: result.exitReason,
      ...(baseline?.success ? { baseline: baseline.data } : {}),
    },
    { completeWork: opts.completeWork },
  );
}

/**
 * Compute ended (or vanished) without a report: the attempt failed. A run that already finished
 * (it reported, or was cancelled) is left alone: its completion was enqueued when it finished.
 * `completeWork` (the launch item that hosted it) is settled in the same unit either way.
 */
export function recordRunLost(
  store: TenantStore,
  runId: RunId,
  reason: string,
  opts: { now?: Date; completeWork?: ClaimedWork } = {},
): Promise<boolean> {
  return store.pipeline.finishRun(
    runId,
    { status: 'failed', exitReason: reason, finishedAt: opts.now ?? new Date() },
    { completeWork: opts.completeWork },
  );
}

/** The pipeline event a finished run stands for; a malformed verdict is a failed attempt. */
export function eventForRun(run: AgentRun): PipelineEvent | null {
  if (run.status === 'cancelled') return null;
  const failed = (reason: string): PipelineEvent => ({ type: 'stage_failed', attempt: run.attempt, reason });
  if (run.status === 'failed') {
    if (run.exitReason === 'budget_exceeded') {
      const spent = Number((run.output as { spentUsd?: number } | null)?.spentUsd ?? run.costUsd);
      const budget = Number((run.output as { budgetUsd?: number } | null)?.budgetUsd ?? spent);
      return { type: 'budget_exceeded', spentUsd: spent, budgetUsd: budget };
    }
    return failed(run.exitReason ?? 'agent failed');
  }
  switch (run.role) {
    case 'setup': {
      const parsed = setupOutputSchema.safeParse(run.output);
      if (!parsed.success) return failed('malformed setup result');
      const { setup, environment } = parsed.data;
      if (setup && (setup.exitCode !== 0 || setup.timedOut))
        return {
          type: 'setup_failed',
          exitCode: setup.timedOut ? null : setup.exitCode,
          logTail: setup.logTail,
        };
      return { type: 'setup_ready', cached: environment?.restored ?? false };
    }
    case 'architect': {
      const plan = planSchema.safeParse(run.output);
      return plan.success ? { type: 'plan_ready', plan: plan.data } : failed('malformed plan');
    }
    case 'coder': {
      const summary = (run.output as { summary?: unknown } | null)?.summary;
      return { type: 'code_ready', summary: typeof summary === 'string' ? summary : '' };
    }
    case 'reviewer': {
      const review = reviewSchema.safeParse(run.output);
      if (!review.success) return failed('malformed review verdict');
      const comments = review.data.comments.map(
        (c) => `${c.file}${c.line === undefined ? '' : `:${c.line}`}: ${c.body}`,
      );
      return { type: 'review', verdict: review.data.verdict, comments };
    }
    case 'tester': {
      const platform = platformVerdictSchema.safeParse(run.output?.platformVerdict);
      if (platform.success) return testEventFromPlatform(platform.data);
      const report = testReportSchema.safeParse(run.output);
      if (!report.success) return failed('malformed test report');
      const failures = report.data.failures.map((f) => `${f.name}: ${f.message}`);
      return { type: 'test_report', passed: report.data.passed && report.data.failed === 0, failures };
    }
  }
}

function testEventFromPlatform(verdict: PlatformVerdict): PipelineEvent {
  const failures = verdict.newFailures.map((f) => (f.message ? `${f.id}: ${f.message}` : f.id));
  if (verdict.timedOut) failures.push('the test command timed out');
  if (!verdict.passed && failures.length === 0)
    failures.push(`the test command failed:\n${verdict.outputTail}`);
  return { type: 'test_report', passed: verdict.passed, failures };
}

/** Why a finished run did not move its pipeline. */
type NotApplied = { applied: false; reason: string; run: AgentRun | null };

/**
 * Moves the pipeline for a finished run, once: a run only counts while it is its feature's
 * latest run and the feature still sits in that run's stage. One snapshot read, a pure decision
 * and one guarded commit (with `completeWork`, the item that asked); a concurrent move of the
 * feature makes it decide again on a fresh snapshot.
 */
export async function completeRun(
  store: TenantStore,
  runId: RunId,
  opts: ApplyOptions & {
    /** The next stage's launch goes straight to this worker (`handedOff`), without a wake-up and claim. */
    handOff?: Omit<WorkHandOff, 'kinds'>;
  } = {},
) {
  for (let tries = 0; ; tries++) {
    const snapshot = await store.pipeline.runSnapshot(runId);
    const decided = snapshot ? decideCompletion(snapshot, opts) : notApplied('run not found', null);
    if (!decided.applied) {
      if (opts.completeWork) await store.work.complete(opts.completeWork.id, opts.completeWork.workerId);
      return decided;
    }
    const { planned, event, run } = decided;
    const { committed, handedOff } = await store.pipeline.commitTransition(planned.transition, {
      completeWork: opts.completeWork,
      ...(opts.handOff ? { handOff: { ...opts.handOff, kinds: [WORK.launch] } } : {}),
    });
    if (committed) return { applied: true as const, feature: planned.feature, event, run, handedOff };
    if (tries >= 4) {
      if (opts.completeWork) await store.work.complete(opts.completeWork.id, opts.completeWork.workerId);
      return notApplied(`${planned.feature.key} kept changing concurrently`, run);
    }
  }
}

const notApplied = (reason: string, run: AgentRun | null): NotApplied => ({ applied: false, reason, run });

/** The pure half of `completeRun`: the event the run stands for, planned against the snapshot. */
export function decideCompletion(
  { run, feature, runs, project }: RunSnapshot,
  opts: ApplyOptions = {},
): NotApplied | { applied: true; planned: PlannedTransition; event: PipelineEvent; run: AgentRun } {
  if (!isFinished(run)) return notApplied('run not finished', run);
  if (!feature) return notApplied('feature deleted', run);
  const stage = feature.counters.stage;
  const latest = runs.at(-1);
  if (latest?.id !== run.id || !stage || STAGE_ROLE[stage] !== run.role || feature.status === 'needs_input') {
    return notApplied('stale', run);
  }
  let event = eventForRun(run);
  if (!event) return notApplied('cancelled', run);
  if (event.type === 'budget_exceeded' && project) {
    // The runner knows only its own share: report the feature's total against its budget.
    const { spentUsd, budgetUsd } = budgetOf(runs, project);
    event = { ...event, spentUsd, budgetUsd };
  }
  let limits = opts.limits;
  if (event.type === 'plan_ready') {
    // The project decides whether a human approves plans before coding starts.
    limits = { ...(limits ?? DEFAULT_PIPELINE_LIMITS), planApproval: project?.settings.requirePlanApproval };
  }
  const planned = planTransition(feature, event, runs, { now: opts.now, limits });
  if (!planned.ok) return notApplied(planned.error.message, run);
  return { applied: true, planned: planned.value, event, run };
}
