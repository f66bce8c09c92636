/**
 * The host's side of a setup run, around the launch the handlers make: a fresh checkout before it,
 * finishing it without compute when the cache and the stored baseline already settle it, and
 * keeping what an install staged as the project's cache entry once the run has completed.
 */
import type { AgentRun, Feature, RunId, Storage, WorkItem } from '@omakase/domain';
import { recordRunResult } from '@omakase/engine';
import type { Logger } from 'pino';
import type { Workspaces } from '../git/publish';
import type { EnvironmentCache } from './env-cache';
import type { SetupLaunch } from './setup-launch';

export interface SetupHandlerDeps {
  storage: Storage;
  workerId: string;
  workspaces: Workspaces;
  environments: EnvironmentCache;
  logger: Logger;
}

/** A setup run starts from a fresh checkout: what a failed install left is not reused. */
export async function freshForSetup(
  deps: SetupHandlerDeps,
  run: { role: string },
  feature: Feature,
): Promise<void> {
  if (run.role === 'setup') await deps.workspaces.remove(feature);
}

/** Environment from the cache and baseline known (or not needed): the run ends without compute. */
export async function finishSetupWithoutCompute(
  deps: SetupHandlerDeps,
  item: WorkItem,
  runId: RunId,
  setup: Extract<SetupLaunch, { compute: false }>,
): Promise<void> {
  // One unit: the run starts and ends here, its baseline is kept, and the launch item completes.
  await recordRunResult(
    deps.storage.forOrg(item.orgId),
    runId,
    {
      outcome: 'succeeded',
      output: setup.output,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      exitReason: 'completed',
    },
    {
      completeWork: { id: item.id, workerId: deps.workerId },
      settledWithoutCompute: { baseCommit: setup.baseCommit },
    },
  );
  deps.logger.info(
    { runId, restored: setup.output.environment?.restored ?? false, baseline: !!setup.output.baseline },
    'setup settled without compute',
  );
}

/** A setup run that installed: its staged copy becomes the project's cache entry (best effort). */
export async function keepEnvironment(deps: SetupHandlerDeps, run: AgentRun): Promise<void> {
  if (run.role !== 'setup') return;
  const environment = (run.output as { environment?: { key?: unknown; saved?: unknown } } | null)
    ?.environment;
  const project = { orgId: run.orgId, id: run.projectId };
  try {
    if (run.status === 'succeeded' && environment?.saved === true && typeof environment.key === 'string') {
      const kept = await deps.environments.promote(project, run.id, environment.key);
      deps.logger.info({ runId: run.id, key: environment.key, kept }, 'environment cached');
    } else await deps.environments.discardStaging(project, run.id);
  } catch (error) {
    deps.logger.warn({ err: error, runId: run.id }, 'keeping the environment failed');
  }
}
