/**
 * A run's life before its result: whether a queued run may launch (budget), and its moves
 * between queued and running. With `outcomes.ts` (the finishes) this is the only code that
 * writes a run's status; the orchestrator and the runner API call these.
 */
import type { AgentRun, ClaimedWork, Feature, Project, RunId, RunStatus, TenantStore } from '@omakase/domain';
import { isFinishedRun } from '@omakase/domain';
import { planTransition } from './apply';
import { budgetFrom, type FeatureBudget } from './budget';
import { recordRunLost } from './outcomes';

export type LaunchDecision =
  /** Nothing to launch: the run is gone or already finished. */
  | { kind: 'finished' }
  /** It was running under an orchestrator that is gone (its compute went with it): failed as lost. */
  | { kind: 'orphaned' }
  /** The feature spent its budget: the run is cancelled and the feature asks a human. */
  | { kind: 'over_budget'; budget: FeatureBudget }
  | { kind: 'launch'; run: AgentRun; feature: Feature; project: Project; budget: FeatureBudget };

/**
 * Decides a queued run's launch from one snapshot. Every outcome but `launch` is final for the
 * launch item (`work`), which is completed in the same unit as what the decision wrote.
 */
export async function decideLaunch(
  store: TenantStore,
  runId: RunId,
  work: ClaimedWork,
): Promise<LaunchDecision> {
  const snapshot = await store.pipeline.launchSnapshot(runId);
  if (!snapshot || isFinishedRun(snapshot.run)) {
    await store.work.complete(work.id, work.workerId);
    return { kind: 'finished' };
  }
  const { run, feature, project, spentUsd } = snapshot;
  if (run.status === 'running') {
    await recordRunLost(store, runId, 'orchestrator_lost', { completeWork: work });
    return { kind: 'orphaned' };
  }
  if (!feature || !project) {
    await recordRunLost(store, runId, 'feature_deleted', { completeWork: work });
    return { kind: 'finished' };
  }
  const budget = budgetFrom(spentUsd, project);
  if (budget.spentUsd < budget.budgetUsd) return { kind: 'launch', run, feature, project, budget };
  // The run is cancelled with the feature's move to a human, in one unit; should the feature
  // allow no such move (or have moved meanwhile), the run is cancelled alone. (The event starts
  // no agent, so the plan needs none of the feature's runs.)
  const now = new Date();
  const { budgetUsd } = budget;
  const planned = planTransition(feature, { type: 'budget_exceeded', spentUsd, budgetUsd }, [], { now });
  const cancelled = { finishedAt: now, exitReason: 'budget_exceeded' };
  const committed =
    planned.ok &&
    (
      await store.pipeline.commitTransition(
        { ...planned.value.transition, cancelLiveRuns: cancelled },
        { completeWork: work },
      )
    ).committed;
  if (!committed) {
    await store.pipeline.finishRun(runId, { status: 'cancelled', ...cancelled }, { completeWork: work });
  }
  return { kind: 'over_budget', budget };
}

/**
 * Queued → running, once: whoever is first (the orchestrator that hosts it, or the runner's first
 * report) starts the clock. Says whether this call started it and the run's status now.
 */
export function markRunStarted(
  store: TenantStore,
  runId: RunId,
  details: { baseCommit?: string | null } = {},
): Promise<{ moved: boolean; status: RunStatus | null }> {
  return store.pipeline.moveRun(runId, {
    to: 'running',
    startedAt: new Date(),
    baseCommit: details.baseCommit,
  });
}

/**
 * Running → queued, same attempt: the cloud took the capacity back (Spot reclaim), which is not
 * the run's fault. False when the run had already reported or been cancelled.
 */
export async function requeueRun(store: TenantStore, runId: RunId, reason: string): Promise<boolean> {
  return (await store.pipeline.moveRun(runId, { to: 'queued', exitReason: reason })).moved;
}
