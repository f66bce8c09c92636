/**
 * What users (and integrations) ask of the pipeline: start, stop, retry, answer a feature;
 * start, pause, stop a project. Each returns a typed error when the feature's state does not
 * allow it. Stop, retry and answer are one unit of work each (`applyEvent`); a start decides
 * against the org's capacity and so runs under its scheduling lock, in one transaction, as the
 * project commands (several rows at once) do.
 */
import {
  type Feature,
  type FeatureId,
  isActiveStatus,
  isReady,
  type Project,
  type ProjectId,
  type TenantStore,
} from '@omakase/domain';
import { applyEvent } from './apply';
import { type EngineResult, fail } from './errors';
import { capacityFor, capacityGuard, planStart, type ScheduleOptions } from './schedule';
import { WORK } from './work';

async function loadFeature(tx: TenantStore, id: FeatureId): Promise<EngineResult<Feature>> {
  const feature = await tx.features.get(id);
  return feature ? { ok: true, value: feature } : fail('not_found', `feature ${id} not found`);
}

/**
 * Starts a pending feature now (dependencies done, capacity free), or resumes a failed/cancelled
 * one. The start commits as one unit whose capacity guard holds under the org's scheduling lock;
 * a feature that moved meanwhile is read and decided again.
 */
export async function startFeature(
  store: TenantStore,
  id: FeatureId,
  opts: ScheduleOptions,
): Promise<EngineResult<Feature>> {
  for (let decision = 1; ; decision++) {
    const loaded = await loadFeature(store, id);
    if (!loaded.ok) return loaded;
    const feature = loaded.value;
    if (feature.status === 'failed' || feature.status === 'cancelled') {
      return applyEvent(store, feature, { type: 'retry' }, opts);
    }
    if (feature.status !== 'pending') {
      return fail(
        'conflict',
        `${feature.key} is ${feature.status}; only pending, failed or cancelled features start`,
      );
    }
    const siblings = await store.features.list(feature.projectId);
    const byId = new Map(siblings.map((f) => [f.id, f]));
    if (!isReady(feature, byId)) {
      const waiting = feature.dependsOn.map((d) => byId.get(d)).filter((d) => d && d.status !== 'done');
      const keys = waiting.map((d) => d!.key).join(', ');
      return fail('blocked', `${feature.key} is blocked by ${keys}`, {
        blockedBy: waiting.map((d) => d!.id),
      });
    }
    const project = await store.projects.get(feature.projectId);
    if (!project) return fail('not_found', `project ${feature.projectId} not found`);
    const atCapacity = () =>
      fail('at_capacity', 'All agent slots are busy; the feature will start when one frees up');
    if ((await capacityFor(store, project, opts.orgMaxConcurrentAgents)) === 0) return atCapacity();
    const planned = await planStart(store, feature, opts);
    if (!planned) return fail('conflict', `${feature.key} cannot start from ${feature.status}`);
    const result = await store.pipeline.commitTransitions([planned.transition], {
      capacity: capacityGuard(project, opts.orgMaxConcurrentAgents),
    });
    if (result.committed) return { ok: true, value: planned.feature };
    if (result.reason === 'capacity') return atCapacity();
    if (decision >= 5) return fail('conflict', `${feature.key} changed concurrently; try again`);
  }
}

/** Stops the feature's agent and cancels it; one unit, with the project's scheduling woken up. */
export async function stopFeature(store: TenantStore, id: FeatureId): Promise<EngineResult<Feature>> {
  const loaded = await loadFeature(store, id);
  if (!loaded.ok) return loaded;
  return applyEvent(
    store,
    loaded.value,
    { type: 'cancel' },
    {
      enqueue: [{ kind: WORK.schedule, subjectId: loaded.value.projectId }],
    },
  );
}

/**
 * The ticket behind the feature is gone (its Linear issue was deleted): the link is dropped and
 * unfinished work is stopped and cancelled; a done (or already cancelled) feature stays as it is.
 */
export function removeFeatureSource(store: TenantStore, id: FeatureId) {
  return store.transaction(async (tx): Promise<EngineResult<Feature>> => {
    const loaded = await loadFeature(tx, id);
    if (!loaded.ok) return loaded;
    const feature = loaded.value;
    // Done work outlives its ticket, and a cancelled feature stays as it is: only the link goes.
    const ended = feature.status === 'done' || feature.status === 'cancelled';
    if (!ended) {
      const result = await applyEvent(tx, feature, { type: 'source_removed' });
      if (!result.ok) return result;
      await tx.work.enqueue({ kind: WORK.schedule, subjectId: feature.projectId });
    }
    const unlinked = await tx.features.update(id, { linearIssueId: null });
    return unlinked ? { ok: true, value: unlinked } : fail('not_found', `feature ${id} not found`);
  });
}

export async function retryFeature(store: TenantStore, id: FeatureId): Promise<EngineResult<Feature>> {
  const loaded = await loadFeature(store, id);
  return loaded.ok ? applyEvent(store, loaded.value, { type: 'retry' }) : loaded;
}

export async function answerFeature(
  store: TenantStore,
  id: FeatureId,
  answer: string,
): Promise<EngineResult<Feature>> {
  const loaded = await loadFeature(store, id);
  return loaded.ok ? applyEvent(store, loaded.value, { type: 'answer', answer }) : loaded;
}

/** Lets the orchestrator schedule the project's ready features. */
export function startProject(store: TenantStore, id: ProjectId) {
  return store.transaction(async (tx): Promise<EngineResult<Project>> => {
    const project = await tx.projects.update(id, { status: 'active' });
    if (!project) return fail('not_found', `project ${id} not found`);
    await tx.work.enqueue({ kind: WORK.schedule, subjectId: id });
    return { ok: true as const, value: project };
  });
}

/** No new features start; running stages finish. */
export function pauseProject(store: TenantStore, id: ProjectId) {
  return store.transaction(async (tx): Promise<EngineResult<Project>> => {
    const project = await tx.projects.update(id, { status: 'paused' });
    return project ? { ok: true as const, value: project } : fail('not_found', `project ${id} not found`);
  });
}

/** Pauses the project and stops every running feature (they can be resumed one by one or by retry). */
export function stopProject(store: TenantStore, id: ProjectId) {
  return store.transaction(async (tx): Promise<EngineResult<{ project: Project; stopped: Feature[] }>> => {
    const project = await tx.projects.update(id, { status: 'paused' });
    if (!project) return fail('not_found', `project ${id} not found`);
    const stopped: Feature[] = [];
    for (const feature of await tx.features.list(id)) {
      if (!isActiveStatus(feature.status)) continue;
      const result = await applyEvent(tx, feature, { type: 'cancel' });
      if (result.ok) stopped.push(result.value);
    }
    return { ok: true as const, value: { project, stopped } };
  });
}
