/**
 * Dependency-graph layout (dagre, left to right) and the critical path: the longest chain of
 * unfinished features. Pure, so it runs in a worker, in a memo or in a benchmark.
 */
import dagre from '@dagrejs/dagre';

export interface GraphFeature {
  id: string;
  status: string;
  dependsOn: string[];
}

export interface GraphLayout {
  positions: Map<string, { x: number; y: number }>;
  /** Edge ids `dep->feature` on the critical path. */
  criticalEdges: Set<string>;
  criticalNodes: Set<string>;
  width: number;
  height: number;
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 64;

const unfinished = (status: string) => status !== 'done' && status !== 'cancelled';

/** Above this, dagre's crossing minimisation takes seconds: a linear layered layout is used instead. */
export const DAGRE_MAX_NODES = 300;

export function layoutGraph(features: readonly GraphFeature[]): GraphLayout {
  const { criticalNodes, criticalEdges } = criticalPath(features);
  if (features.length > DAGRE_MAX_NODES) return { ...layeredLayout(features), criticalNodes, criticalEdges };
  const ids = new Set(features.map((f) => f.id));
  const g = new dagre.graphlib.Graph();
  // longest-path ranking: network-simplex (the default) took seconds at 1,000 nodes.
  g.setGraph({ rankdir: 'LR', ranker: 'longest-path', nodesep: 24, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const f of features) g.setNode(f.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const f of features) for (const dep of f.dependsOn) if (ids.has(dep)) g.setEdge(dep, f.id);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const f of features) {
    const node = g.node(f.id);
    positions.set(f.id, { x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 });
  }
  const graph = g.graph();
  return { positions, criticalNodes, criticalEdges, width: graph.width ?? 0, height: graph.height ?? 0 };
}

/** Longest chain of unfinished features (memoised DFS over the dependency DAG). */
export function criticalPath(features: readonly GraphFeature[]) {
  const byId = new Map(features.map((f) => [f.id, f]));
  const best = new Map<string, { length: number; next: string | null }>();
  const visiting = new Set<string>();
  const longestFrom = (id: string): number => {
    const cached = best.get(id);
    if (cached) return cached.length;
    const f = byId.get(id);
    if (!f || !unfinished(f.status) || visiting.has(id)) return 0;
    visiting.add(id);
    let length = 1;
    let next: string | null = null;
    for (const dep of f.dependsOn) {
      const l = 1 + longestFrom(dep);
      if (l > length && byId.get(dep) && unfinished(byId.get(dep)!.status)) {
        length = l;
        next = dep;
      }
    }
    visiting.delete(id);
    best.set(id, { length, next });
    return length;
  };
  let start: string | null = null;
  let max = 0;
  for (const f of features) {
    const l = longestFrom(f.id);
    if (l > max) {
      max = l;
      start = f.id;
    }
  }
  const criticalNodes = new Set<string>();
  const criticalEdges = new Set<string>();
  for (let id = start; id; id = best.get(id)?.next ?? null) {
    criticalNodes.add(id);
    const next = best.get(id)?.next;
    if (next) criticalEdges.add(`${next}->${id}`);
  }
  return { criticalNodes, criticalEdges };
}

/** Rank = dependency depth; within a rank, one barycenter sweep orders nodes near their dependencies. O(V + E). */
function layeredLayout(features: readonly GraphFeature[]) {
  const byId = new Map(features.map((f) => [f.id, f]));
  const rank = new Map<string, number>();
  const rankOf = (id: string, seen = new Set<string>()): number => {
    const cached = rank.get(id);
    if (cached !== undefined) return cached;
    if (seen.has(id)) return 0;
    seen.add(id);
    const deps = byId.get(id)?.dependsOn.filter((d) => byId.has(d)) ?? [];
    const r = deps.length ? 1 + Math.max(...deps.map((d) => rankOf(d, seen))) : 0;
    rank.set(id, r);
    return r;
  };
  const layers: string[][] = [];
  for (const f of features) {
    const r = rankOf(f.id);
    layers[r] ??= [];
    layers[r].push(f.id);
  }
  const row = new Map<string, number>();
  const positions = new Map<string, { x: number; y: number }>();
  let height = 0;
  layers.forEach((layer, r) => {
    const center = (id: string) => {
      const deps = byId.get(id)!.dependsOn.filter((d) => row.has(d));
      return deps.length ? deps.reduce((s, d) => s + row.get(d)!, 0) / deps.length : Number.MAX_SAFE_INTEGER;
    };
    const ordered = r === 0 ? layer : [...layer].sort((a, b) => center(a) - center(b));
    ordered.forEach((id, i) => {
      row.set(id, i);
      positions.set(id, { x: 20 + r * (NODE_WIDTH + 80), y: 20 + i * (NODE_HEIGHT + 24) });
    });
    height = Math.max(height, ordered.length * (NODE_HEIGHT + 24));
  });
  return { positions, width: layers.length * (NODE_WIDTH + 80), height };
}
