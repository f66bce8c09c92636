import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDependencyGraph, isReady } from '../src/dependencies';
import { FEATURE_STATUSES, PRIORITIES } from '../src/entities';
import { compareScheduleKeys, scheduleKey, selectNext } from '../src/scheduler';
import { features } from './graph-fixtures';

/** Random DAG of features with random statuses, priorities and (often equal) creation times. */
const project = fc.integer({ min: 1, max: 40 }).chain((size) =>
  fc.tuple(
    ...Array.from({ length: size }, (_, n) =>
      fc.record({
        n: fc.constant(n),
        deps: n === 0 ? fc.constant<number[]>([]) : fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 3 }),
        status: fc.constantFrom(...FEATURE_STATUSES, 'pending', 'pending', 'done', 'done'),
        priority: fc.constantFrom(...PRIORITIES),
        createdAt: fc.integer({ min: 0, max: 5 }),
      }),
    ),
  ),
);

describe('scheduler properties', () => {
  it('is deterministic, bounded by capacity, sorted by the documented key and picks only ready features', () => {
    fc.assert(
      fc.property(project, fc.integer({ min: 0, max: 50 }), fc.integer(), (specs, capacity, seed) => {
        const all = features(specs);
        const shuffledCandidates = fc.sample(fc.shuffledSubarray(all, { minLength: all.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const shuffledAll = [...all].reverse();
        const picked = selectNext(all, all, capacity);
        expect(selectNext(shuffledCandidates, shuffledAll, capacity).map((f) => f.id)).toEqual(
          picked.map((f) => f.id),
        );

        const graph = buildDependencyGraph(all);
        const ready = all.filter((f) => isReady(f, graph.byId));
        expect(picked.length).toBe(Math.min(capacity, ready.length));
        for (const f of picked) expect(isReady(f, graph.byId)).toBe(true);
        for (let i = 0; i + 1 < picked.length; i++) {
          expect(
            compareScheduleKeys(scheduleKey(picked[i]!, graph), scheduleKey(picked[i + 1]!, graph)),
          ).toBeLessThan(0);
        }
        // Nothing left out outranks the last one picked.
        const last = picked.at(-1);
        if (last) {
          const chosen = new Set(picked.map((f) => f.id));
          for (const f of ready.filter((r) => !chosen.has(r.id))) {
            expect(compareScheduleKeys(scheduleKey(last, graph), scheduleKey(f, graph))).toBeLessThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
