/**
 * Which ready features to start next. Order (deterministic, independent of input order):
 * 1. priority on Linear's scale: 1 urgent, 2 high, 3 medium, 4 low, then 0 (none) last;
 * 2. more features transitively unblocked first (critical path);
 * 3. older `createdAt` first;
 * 4. id (ULIDs sort by creation) as the final tie-breaker.
 */
import { buildDependencyGraph, type DependencyGraph, isReady, transitiveUnblockCount } from './dependencies';
import type { Feature, Priority } from './entities';

export type SchedulableFeature = Pick<
  Feature,
  'id' | 'key' | 'projectId' | 'dependsOn' | 'status' | 'priority' | 'createdAt'
>;

/** 1..4 keep their rank; 0 (no priority) sorts after 4. */
export function priorityRank(priority: Priority): number {
  return priority === 0 ? 5 : priority;
}

export interface ScheduleKey {
  priorityRank: number;
  unblockCount: number;
  createdAt: number;
  id: string;
}

export function scheduleKey(feature: SchedulableFeature, graph: DependencyGraph): ScheduleKey {
  return {
    priorityRank: priorityRank(feature.priority),
    unblockCount: transitiveUnblockCount(feature.id, graph),
    createdAt: feature.createdAt.getTime(),
    id: feature.id,
  };
}

/** Negative when `a` should start before `b`. */
export function compareScheduleKeys(a: ScheduleKey, b: ScheduleKey): number {
  return (
    a.priorityRank - b.priorityRank ||
    b.unblockCount - a.unblockCount ||
    a.createdAt - b.createdAt ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Picks at most `capacity` features to start, in start order. Candidates that are not actually
 * ready against `allFeatures` (e.g. a stale list) are skipped, as are duplicates.
 * `allFeatures` should be one array instance per scheduling pass so the graph is built once.
 */
export function selectNext<F extends SchedulableFeature>(
  readyFeatures: readonly F[],
  allFeatures: readonly SchedulableFeature[],
  capacity: number,
): F[] {
  const limit = Math.max(0, Math.floor(capacity));
  if (limit === 0 || readyFeatures.length === 0) return [];
  const graph = buildDependencyGraph(allFeatures);
  const seen = new Set<string>();
  const keyed: { feature: F; key: ScheduleKey }[] = [];
  for (const feature of readyFeatures) {
    if (seen.has(feature.id) || !isReady(feature, graph.byId)) continue;
    seen.add(feature.id);
    keyed.push({ feature, key: scheduleKey(feature, graph) });
  }
  keyed.sort((a, b) => compareScheduleKeys(a.key, b.key));
  return keyed.slice(0, limit).map(({ feature }) => feature);
}

export interface CapacityInput {
  projectMax: number;
  projectRunning: number;
  orgMax: number;
  orgRunning: number;
}

/** How many more agents may start now: the tighter of the project's and the organisation's headroom. */
export function freeCapacity({ projectMax, projectRunning, orgMax, orgRunning }: CapacityInput): number {
  const free = Math.floor(Math.min(projectMax - projectRunning, orgMax - orgRunning));
  return Number.isNaN(free) ? 0 : Math.max(free, 0);
}
