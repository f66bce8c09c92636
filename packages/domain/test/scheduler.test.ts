import { describe, expect, it } from 'vitest';
import { freeCapacity, priorityRank, selectNext } from '../src/scheduler';
import { features } from './graph-fixtures';

const keys = (list: { key: string }[]) => list.map((f) => f.key);

describe('selectNext', () => {
  it('orders by priority 1..4 with 0 (none) last', () => {
    const all = features([
      { n: 1, priority: 0 },
      { n: 2, priority: 4 },
      { n: 3, priority: 1 },
      { n: 4, priority: 3 },
      { n: 5, priority: 2 },
    ]);
    expect(keys(selectNext(all, all, 10))).toEqual(['DEMO-3', 'DEMO-5', 'DEMO-4', 'DEMO-2', 'DEMO-1']);
    expect([0, 1, 4].map((p) => priorityRank(p as 0 | 1 | 4))).toEqual([5, 1, 4]);
  });

  it('breaks priority ties by transitive unblock count, then age, then id', () => {
    const all = features([
      { n: 1, priority: 2, createdAt: 3 },
      { n: 2, priority: 2, createdAt: 1 },
      { n: 3, priority: 2, createdAt: 1 },
      { n: 4, priority: 2, createdAt: 5 },
      { n: 10, deps: [4] },
      { n: 11, deps: [10] },
      { n: 12, deps: [1] },
    ]);
    const ready = all.slice(0, 4);
    // 4 unblocks 2 (10, 11), 1 unblocks 1, then 2 and 3 are equally old: id decides.
    expect(keys(selectNext(ready, all, 10))).toEqual(['DEMO-4', 'DEMO-1', 'DEMO-2', 'DEMO-3']);
  });

  it('respects capacity and skips non-ready candidates and duplicates', () => {
    const all = features([
      { n: 1, status: 'coding' },
      { n: 2, deps: [1] },
      { n: 3 },
      { n: 4 },
      { n: 5, status: 'done' },
    ]);
    expect(keys(selectNext(all, all, 10))).toEqual(['DEMO-3', 'DEMO-4']);
    expect(keys(selectNext([all[3]!, all[3]!, all[2]!], all, 10))).toEqual(['DEMO-3', 'DEMO-4']);
    expect(keys(selectNext(all, all, 1))).toEqual(['DEMO-3']);
    expect(selectNext(all, all, 0)).toEqual([]);
    expect(selectNext(all, all, -2)).toEqual([]);
  });

  it('schedules 5,000 features with long chains (the speed is measured in npm run bench)', () => {
    // A forest of chains: every 50th feature starts a chain, so many are ready and counts are deep.
    const all = features(
      Array.from({ length: 5000 }, (_, n) => ({
        n,
        deps: n % 50 === 0 ? [] : [n - 1],
        priority: (n % 5) as 0,
      })),
    );
    const picked = selectNext(all, all, 20);
    expect(picked).toHaveLength(20);
    expect(picked.every((f) => f.dependsOn.length === 0)).toBe(true);
  });
});

describe('freeCapacity', () => {
  it('is the tighter headroom, never negative', () => {
    expect(freeCapacity({ projectMax: 3, projectRunning: 1, orgMax: 10, orgRunning: 4 })).toBe(2);
    expect(freeCapacity({ projectMax: 5, projectRunning: 0, orgMax: 10, orgRunning: 9 })).toBe(1);
    expect(freeCapacity({ projectMax: 2, projectRunning: 3, orgMax: 10, orgRunning: 0 })).toBe(0);
    expect(freeCapacity({ projectMax: Number.NaN, projectRunning: 0, orgMax: 1, orgRunning: 0 })).toBe(0);
  });
});
