/** What the runner-facing endpoints do: hand out the run spec, store events, record the result. */

import {
  type BaselineSummary,
  baselineSummarySchema,
  type RunCredentials,
  type RunnerEventBatch,
  type RunnerResult,
  type RunSpec,
  runResultSchema,
  runSpecSchema,
} from '@omakase/api-contract';
import {
  type AgentRun,
  branchNameFor,
  effectiveCommands,
  limitsFor,
  type NewRunEvent,
  type RunEventUsage,
  runEventPayloadBytes,
} from '@omakase/domain';
import { featureBudget, markRunStarted, recordRunResult } from '@omakase/engine';
import type { z } from 'zod';
import { ApiError } from './api-error';
import { env } from './env';
import type { RunCaller } from './run-auth';
import { runContext } from './run-context';
import {
  type CapLimit,
  checkBatch,
  fitWithinCap,
  logFull,
  type RunEventLimits,
  runEventLimits,
  takeRunEventRate,
  truncationMarker,
} from './runner-event-limits';
import { revealSecret } from './security/vault';

/** The spec goes through the shared contract's schema, so the runner and the API cannot drift apart. */
export async function runSpec({ run, store }: RunCaller): Promise<RunSpec> {
  const feature = await store.features.get(run.featureId);
  const project = feature && (await store.projects.get(feature.projectId));
  if (!feature || !project) throw new ApiError('not_found', 'the run’s feature no longer exists');
  const budget = await featureBudget(store, feature, project);
  const allowlist = project.settings.commandAllowlist;
  const commands = effectiveCommands(project.settings.commands, project.detectedCommands);
  const runs = await store.runs.listByFeature(feature.id);
  const baseCommit = run.baseCommit ?? latestBaseCommit(runs);
  const baseline = await baselineFor(store, run, project.id, baseCommit, commands.test);
  return runSpecSchema.parse({
    run: { id: run.id, role: run.role, attempt: run.attempt, input: run.input },
    feature: {
      key: feature.key,
      title: feature.title,
      description: feature.description,
      acceptanceCriteria: feature.acceptanceCriteria,
    },
    project: {
      repositoryUrl: project.repositoryUrl,
      defaultBranch: project.defaultBranch,
      commandAllowlist: allowlist,
      testCommand: commands.test ?? allowlist.find((command) => /\btest\b/.test(command)),
      budgetUsd: budget.remainingUsd,
      commands,
    },
    workspace: {
      branch: branchNameFor(feature.key, feature.title),
      ...(baseCommit ? { baseCommit } : {}),
    },
    ...(baseline ? { baseline } : {}),
    limits: limitsFor(project.settings.roles, run.role),
    context: runContext(run, feature, runs),
  });
}

/** The fork point the feature's setup run recorded (the newest, after a re-setup). */
function latestBaseCommit(runs: AgentRun[]): string | null {
  return runs.filter((r) => r.baseCommit).at(-1)?.baseCommit ?? null;
}

/** The tester (and a setup run) compare against the base commit's recorded test run, if any. */
async function baselineFor(
  store: RunCaller['store'],
  run: AgentRun,
  projectId: AgentRun['projectId'],
  baseCommit: string | null,
  command: string | undefined,
): Promise<BaselineSummary | null> {
  if ((run.role !== 'tester' && run.role !== 'setup') || !baseCommit || !command) return null;
  const stored = await store.baselines.get(projectId, baseCommit, command);
  const summary = baselineSummarySchema.safeParse(stored?.summary);
  if (!summary.success) return null;
  if (run.role === 'tester') await store.baselines.countReuse(projectId, baseCommit, command);
  return summary.data;
}

/**
 * The org's saved model key, only to its own active run (run-auth refuses ended runs); the
 * deployment's own key only for an org the operator lists in OMAKASE_FALLBACK_CREDENTIAL_ORGS.
 * Otherwise null: no platform credential reaches a tenant's runner.
 */
export async function runCredentials({ run }: RunCaller): Promise<RunCredentials> {
  const e = env();
  const own = e.OMAKASE_MASTER_KEY ? await revealSecret(run.orgId, 'anthropic_api_key') : null;
  const fallback = e.OMAKASE_FALLBACK_CREDENTIAL_ORGS.includes(run.orgId) ? e.ANTHROPIC_API_KEY : undefined;
  return { anthropicApiKey: own ?? fallback ?? null };
}

/**
 * Appends in the runner's order. The runner numbers its events 1, 2, 3… exactly as they are
 * stored, so a retried batch whose seqs are already stored is dropped instead of duplicated.
 * The run's row is locked first: concurrent (retried) batches queue up, and the per-run cap is
 * checked against totals no other process can move meanwhile (runner-event-limits.ts).
 */
export async function appendRunnerEvents({ run, store }: RunCaller, body: z.output<typeof RunnerEventBatch>) {
  const limits = runEventLimits();
  const batch = [...body.events].sort((a, b) => a.seq - b.seq);
  const sizes = batch.map((event) => runEventPayloadBytes(event.payload));
  checkBatch(sizes, limits);
  takeRunEventRate(run.id, batch.length, limits);
  const outcome = await store.transaction(async (tx) => {
    const usage = await tx.events.usage(run.id, { lock: true });
    if (!usage) throw new ApiError('not_found', 'run not found');
    if (usage.truncated) return { accepted: 0, full: closedBy(usage, limits) };
    const first = batch[0]!.seq;
    const already = await tx.events.list(run.id, { afterSeq: first - 1, limit: batch.length });
    const storedUpTo = already.at(-1)?.seq ?? first - 1;
    const fresh = batch.filter((event) => event.seq > storedUpTo);
    const fit = fitWithinCap(usage, sizes.slice(batch.length - fresh.length), limits);
    const events: NewRunEvent[] = fresh.slice(0, fit.take).map(({ type, payload }) => ({ type, payload }));
    if (fit.crossed) events.push(truncationMarker(fit.crossed, limits));
    if (events.length > 0) await tx.events.append(run.id, events, { closeLog: Boolean(fit.crossed) });
    if (run.status === 'queued') await markRunStarted(tx, run.id);
    // The last snapshot is what counts if the runner dies without a result (or is stopped).
    const spent = latestUsageSnapshot(events);
    if (spent) await tx.runs.update(run.id, spentPatch(spent), { expectedStatus: 'running' });
    return { accepted: fit.take, full: fit.crossed };
  });
  // The batch that closed the log is committed (what fitted, and the marker) and still refused.
  if (outcome.full) throw logFull(outcome.full, limits, outcome.accepted);
  return { accepted: outcome.accepted };
}

const usageSnapshotSchema = runResultSchema.shape.usage;

function latestUsageSnapshot(events: NewRunEvent[]) {
  for (const event of [...events].reverse()) {
    if (event.type !== 'usage') continue;
    const parsed = usageSnapshotSchema.safeParse(event.payload);
    if (parsed.success) return parsed.data;
  }
  return null;
}

const spentPatch = (usage: z.output<typeof usageSnapshotSchema>) => ({
  tokensIn: usage.tokensIn,
  tokensOut: usage.tokensOut,
  costUsd: usage.costUsd,
  ...(usage.byModel ? { usageByModel: usage.byModel } : {}),
});

const closedBy = (usage: RunEventUsage, limits: RunEventLimits): CapLimit =>
  usage.events >= limits.maxEventsPerRun ? 'RUN_EVENTS_MAX_PER_RUN' : 'RUN_EVENT_BYTES_MAX_PER_RUN';

export async function recordRunnerResult({ run, store }: RunCaller, body: z.output<typeof RunnerResult>) {
  const outcome = body.outcome;
  // A stop the platform did not record yet: keep what the run spent; the stop itself ends it.
  if (outcome === 'cancelled') {
    await store.runs.update(run.id, spentPatch(body.usage), { expectedStatus: run.status });
    return { recorded: false };
  }
  const recorded = await store.transaction((tx) =>
    recordRunResult(tx, run.id, {
      outcome,
      output: body.output,
      tokensIn: body.usage.tokensIn,
      tokensOut: body.usage.tokensOut,
      costUsd: body.usage.costUsd,
      usageByModel: body.usage.byModel,
      exitReason: body.exitReason ?? null,
    }),
  );
  return { recorded };
}
