import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildDependencyGraph,
  findCycle,
  transitiveUnblockCount,
  validateDependencies,
} from '../src/dependencies';
import type { FeatureId } from '../src/entities';
import { features, fid, PROJECT } from './graph-fixtures';

/** Random DAG: node i may only depend on nodes with a lower index. */
const dag = fc
  .integer({ min: 2, max: 40 })
  .chain((size) =>
    fc.tuple(
      ...Array.from({ length: size }, (_, i) =>
        i === 0
          ? fc.constant<number[]>([])
          : fc.uniqueArray(fc.nat({ max: i - 1 }), { maxLength: Math.min(i, 5) }),
      ),
    ),
  );

/** Brute force: does `from` reach `to` along depends-on edges? */
function reaches(deps: number[][], from: number, to: number): boolean {
  const seen = new Set<number>();
  const stack = [from];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push(...(deps[node] ?? []));
  }
  return false;
}

describe('dependency properties', () => {
  it('accepts every random DAG', () => {
    fc.assert(
      fc.property(dag, (deps) => {
        const all = features(deps.map((d, n) => ({ n, deps: d })));
        expect(findCycle(all)).toBeNull();
        for (const f of all) expect(validateDependencies({ ...f }, all).ok).toBe(true);
      }),
    );
  });

  it('rejects exactly the new edges that close a cycle, reporting a real cycle', () => {
    const outcomes = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(dag, fc.nat(), fc.nat(), (deps, a, b) => {
        const from = a % deps.length;
        const to = b % deps.length;
        fc.pre(from !== to);
        const all = features(deps.map((d, n) => ({ n, deps: d })));
        const newDeps = [...new Set([...(deps[from] ?? []), to])];
        const result = validateDependencies(
          { id: fid(from), projectId: PROJECT, dependsOn: newDeps.map(fid) },
          all,
        );
        expect(result.ok).toBe(!reaches(deps, to, from));
        outcomes[result.ok ? 'accepted' : 'rejected']++;
        if (result.ok) return;
        expect(result.error.code).toBe('dependency_cycle');
        const cycle = result.error.details?.cycle as FeatureId[];
        expect(cycle[0]).toBe(fid(from));
        expect(cycle.at(-1)).toBe(fid(from));
        const edited = new Map(all.map((f) => [f.id, f.id === fid(from) ? newDeps.map(fid) : f.dependsOn]));
        for (let i = 0; i + 1 < cycle.length; i++) expect(edited.get(cycle[i]!)).toContain(cycle[i + 1]);
        // The whole-graph check finds a real cycle too once the edge is added.
        const closed = all.map((f) => (f.id === fid(from) ? { ...f, dependsOn: newDeps.map(fid) } : f));
        const found = findCycle(closed)!;
        expect(found[0]).toBe(found.at(-1));
        for (let i = 0; i + 1 < found.length; i++) expect(edited.get(found[i]!)).toContain(found[i + 1]);
      }),
      { numRuns: 300 },
    );
    expect(outcomes.accepted).toBeGreaterThan(20);
    expect(outcomes.rejected).toBeGreaterThan(20);
  });

  it('transitiveUnblockCount equals the brute-force count of transitive dependants', () => {
    fc.assert(
      fc.property(dag, fc.nat(), (deps, pick) => {
        const target = pick % deps.length;
        const graph = buildDependencyGraph(features(deps.map((d, n) => ({ n, deps: d }))));
        const expected = deps.filter((_, n) => n !== target && reaches(deps, n, target)).length;
        expect(transitiveUnblockCount(fid(target), graph)).toBe(expected);
      }),
    );
  });
});
