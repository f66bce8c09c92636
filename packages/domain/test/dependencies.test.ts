import { describe, expect, it } from 'vitest';
import {
  buildDependencyGraph,
  dependantsOf,
  findCycle,
  isReady,
  MAX_DEPENDENCIES,
  transitiveUnblockCount,
  validateDependencies,
} from '../src/dependencies';
import { feature, features, fid, OTHER_PROJECT, PROJECT } from './graph-fixtures';

const subject = (n: number | null, deps: number[]) => ({
  id: n === null ? null : fid(n),
  projectId: PROJECT,
  dependsOn: deps.map(fid),
});

describe('validateDependencies', () => {
  const project = features([{ n: 1 }, { n: 2, deps: [1] }, { n: 3 }, { n: 5, deps: [3] }]);

  it('accepts existing features and removes duplicates', () => {
    expect(validateDependencies(subject(null, [1, 2, 1]), project)).toEqual({
      ok: true,
      value: [fid(1), fid(2)],
    });
  });

  it(`rejects more than ${MAX_DEPENDENCIES} dependencies`, () => {
    const many = features(Array.from({ length: 25 }, (_, n) => ({ n: n + 10 })));
    const result = validateDependencies(
      subject(
        null,
        many.map((_, n) => n + 10),
      ),
      many,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'too_many_dependencies', field: 'dependsOn' } });
    const exactly = validateDependencies(
      subject(
        null,
        many.slice(0, 20).map((_, n) => n + 10),
      ),
      many,
    );
    expect(exactly.ok).toBe(true);
  });

  it('rejects a self-dependency', () => {
    expect(validateDependencies(subject(1, [1]), project)).toMatchObject({
      error: { code: 'self_dependency' },
    });
  });

  it('rejects unknown ids and features of other projects, naming the id', () => {
    const unknown = validateDependencies(subject(null, [99]), project);
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'unknown_dependency', details: { id: fid(99) } },
    });
    expect(!unknown.ok && unknown.error.message).toContain(fid(99));
    const foreign = [...project, feature({ n: 7, projectId: OTHER_PROJECT })];
    expect(validateDependencies(subject(null, [7]), foreign)).toMatchObject({
      error: { code: 'unknown_dependency' },
    });
  });

  it('rejects a cycle and names its path by keys', () => {
    const result = validateDependencies(subject(3, [5]), project);
    expect(result).toMatchObject({ ok: false, error: { code: 'dependency_cycle', field: 'dependsOn' } });
    if (!result.ok) {
      expect(result.error.message).toBe('Dependency cycle: DEMO-3 → DEMO-5 → DEMO-3');
      expect(result.error.details).toEqual({
        cycle: [fid(3), fid(5), fid(3)],
        keys: ['DEMO-3', 'DEMO-5', 'DEMO-3'],
      });
    }
  });

  it('finds longer cycles and ignores the old edges of the edited feature', () => {
    const chain = features([{ n: 1, deps: [2] }, { n: 2, deps: [3] }, { n: 3, deps: [4] }, { n: 4 }]);
    const result = validateDependencies(subject(4, [1]), chain);
    expect(!result.ok && result.error.message).toBe(
      'Dependency cycle: DEMO-4 → DEMO-1 → DEMO-2 → DEMO-3 → DEMO-4',
    );
    // 1 currently depends on 2; replacing that with 4 makes no cycle even though 2 → 3 → 4 exists.
    expect(validateDependencies(subject(1, [4]), chain).ok).toBe(true);
  });
});

describe('graph queries', () => {
  const graphFeatures = features([
    { n: 1, status: 'done' },
    { n: 2, deps: [1] },
    { n: 3, deps: [1, 2] },
    { n: 4, deps: [3] },
    { n: 5, deps: [9] },
    { n: 6, status: 'testing' },
    { n: 7, deps: [6] },
  ]);
  const graph = buildDependencyGraph(graphFeatures);

  it('isReady needs pending and every dependency done', () => {
    const ready = graphFeatures.filter((f) => isReady(f, graph.byId)).map((f) => f.key);
    expect(ready).toEqual(['DEMO-2']);
  });

  it('a dependency with an open pull request is not done', () => {
    const withPr = features([
      { n: 1, status: 'testing' },
      { n: 2, deps: [1] },
    ]);
    withPr[0]!.pullRequestUrl = 'https://github.com/o/r/pull/1';
    expect(isReady(withPr[1]!, buildDependencyGraph(withPr).byId)).toBe(false);
  });

  it('lists direct dependants and counts transitive ones once', () => {
    expect(dependantsOf(fid(1), graph)).toEqual([fid(2), fid(3)]);
    expect(dependantsOf(fid(4), graph)).toEqual([]);
    expect(transitiveUnblockCount(fid(1), graph)).toBe(3);
    expect(transitiveUnblockCount(fid(3), graph)).toBe(1);
    expect(transitiveUnblockCount(fid(4), graph)).toBe(0);
    expect(graph.unblockCounts.get(fid(1))).toBe(3);
  });

  it('memoises the graph per array instance', () => {
    expect(buildDependencyGraph(graphFeatures)).toBe(graph);
    expect(buildDependencyGraph([...graphFeatures])).not.toBe(graph);
  });

  it('findCycle reports null for a DAG and a real path otherwise', () => {
    expect(findCycle(graph)).toBeNull();
    const cyclic = features([
      { n: 1, deps: [2] },
      { n: 2, deps: [3] },
      { n: 3, deps: [1] },
      { n: 4, deps: [1] },
    ]);
    const cycle = findCycle(cyclic);
    expect(cycle).toHaveLength(4);
    expect(cycle?.[0]).toBe(cycle?.[3]);
    expect(findCycle(features([{ n: 1, deps: [1] }]))).toEqual([fid(1), fid(1)]);
  });
});
