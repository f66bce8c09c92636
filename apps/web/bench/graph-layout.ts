/** Dagre layout + critical path of a 1,000-feature dependency graph (what the graph view computes). */
import { type GraphFeature, layoutGraph } from '../src/client/graph-layout';

export function syntheticGraph(count: number, seed = 42): GraphFeature[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const statuses = ['pending', 'pending', 'pending', 'coding', 'done', 'done'];
  return Array.from({ length: count }, (_, i) => ({
    id: `f${i}`,
    status: statuses[Math.floor(random() * statuses.length)]!,
    dependsOn:
      i === 0
        ? []
        : [
            ...new Set(
              Array.from({ length: Math.floor(random() * 3) }, () => `f${Math.floor(random() * i)}`),
            ),
          ],
  }));
}

export async function benchGraphLayout(nodes = 1000) {
  const graph = syntheticGraph(nodes);
  layoutGraph(syntheticGraph(50)); // warm up the JIT
  const timings: number[] = [];
  let critical = 0;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    critical = layoutGraph(graph).criticalNodes.size;
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return {
    nodes,
    edges: graph.reduce((n, f) => n + f.dependsOn.length, 0),
    medianMs: timings[2]!,
    maxMs: timings[4]!,
    critical,
  };
}
