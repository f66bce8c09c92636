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
  DEFAULT_PIPELINE_LIMITS,
  isFinishedRun,
  type PipelineEvent,
  type RunId,
  type RunPatch,
  STAGE_ROLE,
  type TenantStore,
  type UsageByModel,
} from '@omakase/domain';
import { type ApplyOptions, applyEvent } from './apply';
import { featureBudget } from './budget';
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
export async function recordRunResult(
  tx: TenantStore,
  runId: RunId,
  result: ReportedRunResult,
  now = new Date(),
) {
  const recorded = await finishOnce(tx, runId, (run) => ({
    status: result.outcome,
    output: result.output,
    tokensIn: result.tokensIn,
    tokensOut: result.tokensOut,
    costUsd: result.costUsd,
    ...(result.usageByModel ? { usageByModel: result.usageByModel } : {}),
    exitReason: result.exitReason,
    finishedAt: now,
    computeSeconds: computeSeconds(run, now),
  }));
  if (recorded && result.outcome === 'succeeded') await keepBaseline(tx, runId, result.output);
  return recorded;
}

async function keepBaseline(tx: TenantStore, runId: RunId, output: ReportedRunResult['output']) {
  const parsed = baselineSummarySchema.safeParse(output?.baseline);
  if (!parsed.success) return;
  const run = await tx.runs.get(runId);
  if (run?.role !== 'setup') return;
  const { baseCommit, command } = parsed.data;
  // Only the commit the orchestrator seeded: a baseline of another commit would judge the wrong code.
  if (run.baseCommit && run.baseCommit !== baseCommit) return;
  await tx.baselines.put({ projectId: run.projectId, baseCommit, command, summary: parsed.data, runId });
}

/**
 * Compute ended (or vanished) without a report: the attempt failed. A run that already finished
 * (it reported, or was cancelled) is left alone: its completion was enqueued when it finished.
 */
export function recordRunLost(tx: TenantStore, runId: RunId, reason: string, now = new Date()) {
  return finishOnce(tx, runId, (run) => ({
    status: 'failed',
    exitReason: reason,
    finishedAt: now,
    computeSeconds: computeSeconds(run, now),
  }));
}

const computeSeconds = (run: AgentRun, now: Date) =>
  run.startedAt ? (now.getTime() - run.startedAt.getTime()) / 1000 : 0;

/**
 * Moves a live run to its final state and enqueues its completion, exactly once: the update is
 * conditional on the status read, so of a result and a lost-compute report racing, one wins; a
 * concurrent live-to-live change (queued → running) is simply read again.
 */
async function finishOnce(tx: TenantStore, runId: RunId, patch: (run: AgentRun) => RunPatch) {
  for (let tries = 0; tries < 5; tries++) {
    const run = await tx.runs.get(runId);
    if (!run || isFinished(run)) return false;
    if (await tx.runs.update(runId, patch(run), { expectedStatus: run.status })) {
      await tx.work.enqueue({ kind: WORK.completed, subjectId: runId });
      return true;
    }
  }
  return false;
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

/**
 * Moves the pipeline for a finished run, once: a run only counts while it is its feature's
 * latest run and the feature still sits in that run's stage.
 */
export async function completeRun(tx: TenantStore, runId: RunId, opts: ApplyOptions = {}) {
  const run = await tx.runs.get(runId);
  if (!run || !isFinished(run)) return { applied: false as const, reason: 'run not finished', run };
  const feature = await tx.features.get(run.featureId);
  if (!feature) return { applied: false as const, reason: 'feature deleted', run };
  const stage = feature.counters.stage;
  const runs = await tx.runs.listByFeature(feature.id);
  const latest = runs.at(-1);
  if (latest?.id !== run.id || !stage || STAGE_ROLE[stage] !== run.role || feature.status === 'needs_input') {
    return { applied: false as const, reason: 'stale', run };
  }
  let event = eventForRun(run);
  if (!event) return { applied: false as const, reason: 'cancelled', run };
  if (event.type === 'budget_exceeded') {
    // The runner knows only its own share: report the feature's total against its budget.
    const project = await tx.projects.get(feature.projectId);
    if (project) {
      const { spentUsd, budgetUsd } = await featureBudget(tx, feature, project);
      event = { ...event, spentUsd, budgetUsd };
    }
  }
  if (event.type === 'plan_ready') {
    // The project decides whether a human approves plans before coding starts.
    const project = await tx.projects.get(feature.projectId);
    const limits = {
      ...(opts.limits ?? DEFAULT_PIPELINE_LIMITS),
      planApproval: project?.settings.requirePlanApproval,
    };
    opts = { ...opts, limits };
  }
  const result = await applyEvent(tx, feature, event, { ...opts, runs });
  return result.ok
    ? { applied: true as const, feature: result.value, event, run }
    : { applied: false as const, reason: result.error.message, run };
}
