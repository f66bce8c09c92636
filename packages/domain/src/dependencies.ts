/**
 * Feature dependency rules. An edge `a → b` means "a depends on b": b must be done before a starts.
 * All traversals are iterative (no recursion limits) and linear in nodes + edges.
 */
import type { Feature, FeatureId, FeatureStatus } from './entities';
import { domainError, ok, type Result } from './errors';

export const MAX_DEPENDENCIES = 20;

export type DependencyNode = Pick<Feature, 'id' | 'key' | 'projectId' | 'dependsOn'>;

export interface DependencyGraph<N extends DependencyNode = DependencyNode> {
  readonly byId: ReadonlyMap<FeatureId, N>;
  /** Direct dependants: the features that list the key in `dependsOn`. */
  readonly dependants: ReadonlyMap<FeatureId, readonly FeatureId[]>;
  /** Memo of `transitiveUnblockCount`; valid because the graph is immutable. */
  readonly unblockCounts: Map<FeatureId, number>;
}

const graphs = new WeakMap<readonly DependencyNode[], DependencyGraph>();

/** Builds (once per array instance) the indexes the other functions need. Do not mutate the array after. */
export function buildDependencyGraph<N extends DependencyNode>(features: readonly N[]): DependencyGraph<N> {
  const cached = graphs.get(features);
  if (cached) return cached as DependencyGraph<N>;
  const byId = new Map<FeatureId, N>();
  const dependants = new Map<FeatureId, FeatureId[]>();
  for (const feature of features) byId.set(feature.id, feature);
  for (const feature of features) {
    for (const dependency of new Set(feature.dependsOn)) {
      const list = dependants.get(dependency);
      if (list) list.push(feature.id);
      else dependants.set(dependency, [feature.id]);
    }
  }
  const graph: DependencyGraph<N> = { byId, dependants, unblockCounts: new Map() };
  graphs.set(features, graph);
  return graph;
}

function graphOf<N extends DependencyNode>(features: readonly N[] | DependencyGraph<N>): DependencyGraph<N> {
  return 'byId' in features ? features : buildDependencyGraph(features);
}

export interface DependencySubject {
  /** null for a feature not created yet (nothing can depend on it, so no cycle is possible). */
  id: FeatureId | null;
  projectId: Feature['projectId'];
  dependsOn: readonly FeatureId[];
}

/**
 * Validates a feature's new dependency list against its project's features.
 * Returns the list without duplicates (first occurrence order kept).
 */
export function validateDependencies(
  subject: DependencySubject,
  projectFeatures: readonly DependencyNode[] | DependencyGraph,
): Result<FeatureId[]> {
  const graph = graphOf(projectFeatures);
  const dependsOn = [...new Set(subject.dependsOn)];
  const field = 'dependsOn';
  if (dependsOn.length > MAX_DEPENDENCIES) {
    return domainError(
      'too_many_dependencies',
      `A feature can depend on at most ${MAX_DEPENDENCIES} features, got ${dependsOn.length}`,
      { field, details: { max: MAX_DEPENDENCIES, count: dependsOn.length } },
    );
  }
  for (const id of dependsOn) {
    if (id === subject.id)
      return domainError('self_dependency', 'A feature cannot depend on itself', { field });
    const dependency = graph.byId.get(id);
    if (!dependency || dependency.projectId !== subject.projectId) {
      return domainError('unknown_dependency', `Unknown dependency ${id}: no such feature in this project`, {
        field,
        details: { id },
      });
    }
  }
  if (subject.id !== null) {
    const cycle = cycleThrough(subject.id, dependsOn, graph);
    if (cycle) {
      const keys = cycle.map((id) => graph.byId.get(id)?.key ?? id);
      return domainError('dependency_cycle', `Dependency cycle: ${keys.join(' → ')}`, {
        field,
        details: { cycle, keys },
      });
    }
  }
  return ok(dependsOn);
}

/**
 * Path `start → … → start` along "depends on" edges when `start` (with its new list) would close a cycle.
 * Iterative DFS from start's new dependencies with parent links; each node is visited once.
 */
function cycleThrough(
  start: FeatureId,
  newDependsOn: readonly FeatureId[],
  graph: DependencyGraph,
): FeatureId[] | null {
  const parent = new Map<FeatureId, FeatureId>();
  const stack: FeatureId[] = [];
  for (const id of newDependsOn) {
    if (!parent.has(id)) {
      parent.set(id, start);
      stack.push(id);
    }
  }
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current === start) {
      const path = [start];
      for (let node = parent.get(start)!; node !== start; node = parent.get(node)!) path.push(node);
      path.push(start);
      return path.reverse();
    }
    const next = graph.byId.get(current)?.dependsOn ?? [];
    for (const id of next) {
      if (!parent.has(id)) {
        parent.set(id, current);
        stack.push(id);
      }
    }
  }
  return null;
}

/**
 * Any cycle in the whole graph (e.g. after an import), as `a → … → a`, or null when acyclic.
 * Three-colour iterative DFS: O(nodes + edges). Edges to unknown features are ignored.
 */
export function findCycle(features: readonly DependencyNode[] | DependencyGraph): FeatureId[] | null {
  const graph = graphOf(features);
  const colour = new Map<FeatureId, 'grey' | 'black'>();
  for (const root of graph.byId.keys()) {
    if (colour.has(root)) continue;
    const path: FeatureId[] = [root];
    const cursors: number[] = [0];
    colour.set(root, 'grey');
    while (path.length > 0) {
      const node = path.at(-1)!;
      const edges = graph.byId.get(node)!.dependsOn;
      const index = cursors[cursors.length - 1]!;
      if (index >= edges.length) {
        colour.set(node, 'black');
        path.pop();
        cursors.pop();
        continue;
      }
      cursors[cursors.length - 1] = index + 1;
      const next = edges[index]!;
      if (!graph.byId.has(next)) continue;
      const seen = colour.get(next);
      if (seen === 'grey') return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        colour.set(next, 'grey');
        path.push(next);
        cursors.push(0);
      }
    }
  }
  return null;
}

/** Ready to start: pending, and every dependency exists and is `done` (an open PR is not enough). */
export function isReady(
  feature: Pick<Feature, 'status' | 'dependsOn'>,
  featuresById: ReadonlyMap<FeatureId, { status: FeatureStatus }>,
): boolean {
  if (feature.status !== 'pending') return false;
  return feature.dependsOn.every((id) => featuresById.get(id)?.status === 'done');
}

export function dependantsOf(featureId: FeatureId, graph: DependencyGraph): readonly FeatureId[] {
  return graph.dependants.get(featureId) ?? [];
}

/** How many features depend on this one, directly or transitively (each counted once). Memoised. */
export function transitiveUnblockCount(featureId: FeatureId, graph: DependencyGraph): number {
  const memo = graph.unblockCounts.get(featureId);
  if (memo !== undefined) return memo;
  const seen = new Set<FeatureId>([featureId]);
  const queue: FeatureId[] = [featureId];
  for (let head = 0; head < queue.length; head++) {
    for (const dependant of dependantsOf(queue[head]!, graph)) {
      if (!seen.has(dependant)) {
        seen.add(dependant);
        queue.push(dependant);
      }
    }
  }
  const count = seen.size - 1;
  graph.unblockCounts.set(featureId, count);
  return count;
}
