/** Shared rate-limit counters: two "instances" (separate pools) count into the same window. */
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimitStore } from '../src/store/rate-limits';
import { useStorage } from './helpers';

const { url } = await useStorage();
// An hour-long window: the racing hits cannot straddle a window boundary.
const HOUR = 3_600_000;
const first = createRateLimitStore(url);
const second = createRateLimitStore(url);
afterAll(async () => {
  await first.close();
  await second.close();
});

describe('rate limit counters', () => {
  it('counts every hit of a key exactly once across instances, also when they race', async () => {
    const key = `api:ip:${Math.random()}`;
    const hits = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? first : second).hit(key, HOUR)),
    );
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    for (const hit of hits) expect(hit.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    for (const hit of hits) expect(hit.retryAfterSeconds).toBeLessThanOrEqual(3600);
    expect((await first.hit(`${key}:other`, HOUR)).count).toBe(1);
  });
});
