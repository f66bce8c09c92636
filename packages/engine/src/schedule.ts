/**
 * Starts ready features of a project within the project's and the organisation's concurrency
 * limits, in the domain scheduler's order. Callers serialise per organisation (`lockScheduling`)
 * so two orchestrators cannot both fill the last slot.
 */
import {
  type Feature,
  type FeatureId,
  freeCapacity,
  isReady,
  isRunning,
  type ProjectId,
  selectNext,
  type TenantStore,
} from '@omakase/domain';
import { type ApplyOptions, applyEvent } from './apply';

export interface ScheduleOptions extends ApplyOptions {
  orgMaxConcurrentAgents: number;
}

export async function capacityFor(tx: TenantStore, projectId: ProjectId, orgMax: number): Promise<number> {
  const project = await tx.projects.get(projectId);
  if (!project) return 0;
  const active = await tx.features.listActive();
  return freeCapacity({
    projectMax: project.settings.maxConcurrentAgents,
    projectRunning: active.filter((f) => f.projectId === projectId).length,
    orgMax,
    orgRunning: active.length,
  });
}

export async function scheduleProject(
  tx: TenantStore,
  projectId: ProjectId,
  opts: ScheduleOptions,
): Promise<Feature[]> {
  await tx.lockScheduling();
  const project = await tx.projects.get(projectId);
  if (project?.status !== 'active') return [];
  const capacity = await capacityFor(tx, projectId, opts.orgMaxConcurrentAgents);
  if (capacity === 0) return [];
  const features = await tx.features.list(projectId);
  const byId = new Map<FeatureId, Feature>(features.map((f) => [f.id, f]));
  const ready = features.filter((f) => isReady(f, byId));
  const started: Feature[] = [];
  for (const feature of selectNext(ready, features, capacity)) {
    const result = await applyEvent(tx, feature, { type: 'start' }, opts);
    if (result.ok) started.push(result.value);
  }
  return started;
}

export const isActiveFeature = (feature: Feature) => isRunning(feature.status);
