/** Write → change-feed subscriber latency. `npx tsx packages/db/bench/notify-latency.ts` */
import type { Change } from '@omakase/domain';
import { createStorage } from '../src/storage';
import { isMain, percentile, withBenchDatabase } from './support';

export interface NotifyLatencyResult {
  writes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function benchNotifyLatency(
  opts: { url?: string; writes?: number } = {},
): Promise<NotifyLatencyResult> {
  const { writes = 2000 } = opts;
  return withBenchDatabase(opts.url, async (url) => {
    const storage = createStorage(url);
    try {
      const org = await storage.organizations.create({ name: 'bench', externalId: `bench-${Date.now()}` });
      const store = storage.forOrg(org.id);
      const project = await store.projects.create({
        name: 'p',
        keyPrefix: 'LAT',
        repositoryUrl: 'file:///tmp/x',
      });
      const feature = await store.features.create(project.id, { title: 'latency' });

      let expect: ((change: Change) => void) | undefined;
      const unsubscribe = await storage.changes.subscribe((change) => expect?.(change));
      const samples: number[] = [];
      for (let i = 0; i < writes; i++) {
        const delivered = new Promise<number>((resolve) => {
          expect = (change) => {
            if (change.id === feature.id && change.op === 'update') resolve(performance.now());
          };
        });
        const started = performance.now();
        await store.features.update(feature.id, { title: `latency ${i}` });
        samples.push((await delivered) - started);
      }
      await unsubscribe();
      samples.sort((a, b) => a - b);
      return {
        writes,
        p50Ms: percentile(samples, 50),
        p99Ms: percentile(samples, 99),
        maxMs: samples.at(-1)!,
      };
    } finally {
      await storage.close();
    }
  });
}

if (isMain(import.meta.url)) {
  const result = await benchNotifyLatency({ url: process.env.BENCH_DATABASE_URL });
  console.log(
    `notify latency over ${result.writes} writes: p50 ${result.p50Ms.toFixed(2)} ms, ` +
      `p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(2)} ms (targets p50 < 5 ms, p99 < 20 ms)`,
  );
}
