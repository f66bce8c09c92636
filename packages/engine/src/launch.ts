/**
 * A run's life before its result: whether a queued run may launch (budget), and its moves
 * between queued and running. With `outcomes.ts` (the finishes) this is the only code that
 * writes a run's status; the orchestrator and the runner API call these.
 */
import type { AgentRun, Feature, Project, RunId, TenantStore } from '@omakase/domain';
import { isFinishedRun } from '@omakase/domain';
import { applyEvent } from './apply';
import { type FeatureBudget, featureBudget } from './budget';
import { recordRunLost } from './outcomes';

export type LaunchDecision =
  /** Nothing to launch: the run is gone or already finished. */
  | { kind: 'finished' }
  /** It was running under an orchestrator that is gone (its compute went with it): failed as lost. */
  | { kind: 'orphaned' }
  /** The feature spent its budget: the run is cancelled and the feature asks a human. */
  | { kind: 'over_budget'; budget: FeatureBudget }
  | { kind: 'launch'; run: AgentRun; feature: Feature; project: Project };

/**
 * Decides a queued run's launch. Every outcome but `launch` is final for the launch item: `settle`
 * (completing it) runs in the same transaction as what the decision wrote.
 */
export async function decideLaunch(
  store: TenantStore,
  runId: RunId,
  settle: (tx: TenantStore) => Promise<unknown>,
): Promise<LaunchDecision> {
  const run = await store.runs.get(runId);
  if (!run || isFinishedRun(run)) {
    await settle(store);
    return { kind: 'finished' };
  }
  if (run.status === 'running') {
    await store.transaction(async (tx) => {
      await recordRunLost(tx, runId, 'orchestrator_lost');
      await settle(tx);
    });
    return { kind: 'orphaned' };
  }
  const feature = await store.features.get(run.featureId);
  const project = feature && (await store.projects.get(feature.projectId));
  if (!feature || !project) {
    await store.transaction(async (tx) => {
      await recordRunLost(tx, runId, 'feature_deleted');
      await settle(tx);
    });
    return { kind: 'finished' };
  }
  const budget = await featureBudget(store, feature, project);
  if (budget.spentUsd < budget.budgetUsd) return { kind: 'launch', run, feature, project };
  await store.transaction(async (tx) => {
    await tx.runs.update(
      runId,
      { status: 'cancelled', exitReason: 'budget_exceeded', finishedAt: new Date() },
      { expectedStatus: 'queued' },
    );
    const current = await tx.features.get(feature.id);
    if (current) {
      const { spentUsd, budgetUsd } = budget;
      await applyEvent(tx, current, { type: 'budget_exceeded', spentUsd, budgetUsd });
    }
    await settle(tx);
  });
  return { kind: 'over_budget', budget };
}

/**
 * Queued → running, once: whoever is first (the orchestrator that hosts it, or the runner's first
 * report) starts the clock. False when the run was not queued any more.
 */
export async function markRunStarted(
  store: TenantStore,
  runId: RunId,
  details: { baseCommit?: string | null } = {},
): Promise<boolean> {
  const started = await store.runs.update(
    runId,
    { status: 'running', startedAt: new Date(), ...details },
    { expectedStatus: 'queued' },
  );
  return started !== null;
}

/**
 * Running → queued, same attempt: the cloud took the capacity back (Spot reclaim), which is not
 * the run's fault. False when the run had already reported or been cancelled.
 */
export async function requeueRun(store: TenantStore, runId: RunId, reason: string): Promise<boolean> {
  const requeued = await store.runs.update(
    runId,
    { status: 'queued', startedAt: null, exitReason: reason },
    { expectedStatus: 'running' },
  );
  return requeued !== null;
}
