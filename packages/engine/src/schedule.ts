/**
 * Starts ready features of a project within the project's and the organisation's concurrency
 * limits, in the domain scheduler's order. The decision is made on a snapshot; the starts commit
 * as one unit whose capacity guard is checked under the org's scheduling lock, so two schedulers
 * (on any process) cannot both fill the last slot — the one that lost decides again.
 */
import {
  ACTIVE_FEATURE_STATUSES,
  type ClaimedWork,
  type Feature,
  type FeatureId,
  freeCapacity,
  isReady,
  type Project,
  type ProjectId,
  selectNext,
  type TenantStore,
} from '@omakase/domain';
import { type ApplyOptions, type PlannedTransition, planTransition } from './apply';

export interface ScheduleOptions extends ApplyOptions {
  orgMaxConcurrentAgents: number;
}

/** Decisions that lost a race decide again on a fresh snapshot, this many times. */
const MAX_DECISIONS = 5;

export const capacityGuard = (project: Project, orgMax: number) => ({
  projectId: project.id,
  projectMax: project.settings.maxConcurrentAgents,
  orgMax,
  activeStatuses: ACTIVE_FEATURE_STATUSES,
});

/** Free agent slots for the project now (as read; the commit checks again). */
export async function capacityFor(store: TenantStore, project: Project, orgMax: number): Promise<number> {
  const active = await store.features.listActive();
  return freeCapacity({
    projectMax: project.settings.maxConcurrentAgents,
    projectRunning: active.filter((f) => f.projectId === project.id).length,
    orgMax,
    orgRunning: active.length,
  });
}

/** The start of a feature, planned with its earlier runs (a resumed feature's plan and answers). */
export async function planStart(
  store: TenantStore,
  feature: Feature,
  opts: ApplyOptions,
): Promise<PlannedTransition | null> {
  const runs = await store.runs.listByFeature(feature.id);
  const planned = planTransition(feature, { type: 'start' }, runs, opts);
  return planned.ok ? planned.value : null;
}

export async function scheduleProject(
  store: TenantStore,
  projectId: ProjectId,
  opts: ScheduleOptions & { completeWork?: ClaimedWork },
): Promise<Feature[]> {
  const { completeWork } = opts;
  for (let decision = 1; ; decision++) {
    const project = await store.projects.get(projectId);
    const capacity =
      project?.status === 'active' ? await capacityFor(store, project, opts.orgMaxConcurrentAgents) : 0;
    const features = capacity > 0 ? await store.features.list(projectId) : [];
    const byId = new Map<FeatureId, Feature>(features.map((f) => [f.id, f]));
    const chosen = selectNext(
      features.filter((f) => isReady(f, byId)),
      features,
      capacity,
    );
    const planned = (await Promise.all(chosen.map((f) => planStart(store, f, opts)))).filter(
      (p): p is PlannedTransition => p !== null,
    );
    const result = await store.pipeline.commitTransitions(
      planned.map((p) => p.transition),
      {
        ...(project ? { capacity: capacityGuard(project, opts.orgMaxConcurrentAgents) } : {}),
        completeWork,
      },
    );
    if (result.committed) return planned.map((p) => p.feature);
    if (decision >= MAX_DECISIONS) {
      // Still racing: the item is done; whoever changed the features scheduled (or will).
      if (completeWork) await store.work.complete(completeWork.id, completeWork.workerId);
      return [];
    }
  }
}
