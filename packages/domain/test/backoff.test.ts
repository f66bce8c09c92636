import { describe, expect, it } from 'vitest';
import { backoffMs } from '../src';

describe('backoffMs', () => {
  const opts = { baseMs: 500, maxMs: 4_000 };

  it('starts at baseMs, doubles per attempt and stops at maxMs', () => {
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffMs(a, opts))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('treats attempt 0 (or less) as the first', () => {
    expect(backoffMs(0, opts)).toBe(500);
    expect(backoffMs(-3, opts)).toBe(500);
  });

  it('full jitter is uniform below the delay', () => {
    expect(backoffMs(3, { ...opts, jitter: 'full', random: () => 0 })).toBe(0);
    expect(backoffMs(3, { ...opts, jitter: 'full', random: () => 0.5 })).toBe(1000);
    expect(backoffMs(9, { ...opts, jitter: 'full', random: () => 0.25 })).toBe(1000);
  });

  it('equal jitter keeps at least half the delay', () => {
    expect(backoffMs(3, { ...opts, jitter: 'equal', random: () => 0 })).toBe(1000);
    expect(backoffMs(3, { ...opts, jitter: 'equal', random: () => 0.5 })).toBe(1500);
  });

  it('uses Math.random by default, within bounds', () => {
    for (let i = 0; i < 50; i++) {
      const ms = backoffMs(2, { ...opts, jitter: 'full' });
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(1000);
    }
  });
});
