/** Shared rate-limit counters: two "instances" (separate pools) count into the same sliding window. */
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimitStore, secondsUntilAllowed } from '../src/store/rate-limits';
import { useStorage } from './helpers';

const { url } = await useStorage();
// An hour-long window: the racing hits cannot straddle a window boundary.
const HOUR = 3_600_000;
const first = createRateLimitStore(url);
const second = createRateLimitStore(url);
const sql = postgres(url, { max: 1, onnotice: () => {} });
afterAll(async () => {
  await first.close();
  await second.close();
  await sql.end();
});

describe('rate limit counters', () => {
  it('counts every hit of a key exactly once across instances, also when they race', async () => {
    const key = `api:ip:${Math.random()}`;
    const hits = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? first : second).hit(key, HOUR, 100)),
    );
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    for (const hit of hits) expect(hit.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    for (const hit of hits) expect(hit.retryAfterSeconds).toBeLessThanOrEqual(2 * 3600);
    expect((await first.hit(`${key}:other`, HOUR, 100)).count).toBe(1);
  });

  it("weighs in the previous window's count by how much of it is still within the window", async () => {
    const key = `api:org:${Math.random()}`;
    // 100 requests in the previous hour-long window.
    await sql`
      insert into rate_limit_windows (key, window_start, count)
      values (${key}, to_timestamp((floor(extract(epoch from now()) * 1000 / ${HOUR}) - 1) * ${HOUR} / 1000.0), 100)`;
    const hit = await first.hit(key, HOUR, 50);
    expect(hit).toMatchObject({ count: 1, previous: 100 });
    expect(hit.elapsed).toBeGreaterThanOrEqual(0);
    expect(hit.elapsed).toBeLessThan(1);
    // The wall clock's position in the hour agrees with the database's.
    expect(Math.abs(hit.elapsed - (Date.now() % HOUR) / HOUR)).toBeLessThan(0.01);
    expect(hit.estimate).toBeCloseTo(100 * (1 - hit.elapsed) + 1, 6);
  });
});

describe('secondsUntilAllowed', () => {
  const MINUTE = 60_000;
  it('waits for the previous window to decay enough when the current one has room', () => {
    // 60 last minute, 10 now, a quarter into this minute: room for 9 more needs the previous
    // share down to 39, i.e. until 35 % into the minute: 6 s from now.
    expect(secondsUntilAllowed({ count: 10, previous: 60, elapsed: 0.25 }, 50, MINUTE)).toBe(6);
  });

  it('waits past the window end when the current window alone is over the limit', () => {
    // 80 now, half-way: 30 s to the boundary, then 80 must decay to 49: 38.75 % of a minute.
    expect(secondsUntilAllowed({ count: 80, previous: 0, elapsed: 0.5 }, 50, MINUTE)).toBe(54);
  });

  it('answers at least one second', () => {
    expect(secondsUntilAllowed({ count: 1, previous: 0, elapsed: 0.9 }, 50, MINUTE)).toBe(1);
  });
});
