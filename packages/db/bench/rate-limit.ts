/**
 * The cost a shared (Postgres) rate limit adds to an API request: one UPSERT on the counter row of
 * (key, minute), measured sequentially like a request would see it, over 200 keys.
 */
import { createRateLimitStore } from '../src/store/rate-limits';
import { percentile, withBenchDatabase } from './support';

export interface RateLimitBenchResult {
  hits: number;
  p50Ms: number;
  p99Ms: number;
}

export async function benchRateLimit(
  opts: { url?: string; hits?: number } = {},
): Promise<RateLimitBenchResult> {
  const { hits = 5000 } = opts;
  return withBenchDatabase(opts.url, async (url) => {
    const store = createRateLimitStore(url, { maxConnections: 1 });
    try {
      const key = (i: number) => `bench:ip:10.0.${i % 200}.1`;
      for (let i = 0; i < 500; i++) await store.hit(key(i), 60_000, 1000); // connection + plan warm-up
      const samples: number[] = [];
      for (let i = 0; i < hits; i++) {
        const start = performance.now();
        await store.hit(key(i), 60_000, 1000);
        samples.push(performance.now() - start);
      }
      return { hits, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
    } finally {
      await store.close();
    }
  });
}
