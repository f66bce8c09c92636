/** 20 concurrent claimers drain 10,000 ready work items. `npx tsx packages/db/bench/claims.ts` */
import { newId } from '@omakase/domain';
import postgres from 'postgres';
import { createStorage } from '../src/storage';
import { isMain, withBenchDatabase } from './support';

export interface ClaimsBenchResult {
  items: number;
  claimers: number;
  batch: number;
  seconds: number;
  claimsPerSecond: number;
  doubleClaims: number;
}

export async function benchClaims(
  opts: { url?: string; items?: number; claimers?: number; batch?: number } = {},
): Promise<ClaimsBenchResult> {
  const { items = 10_000, claimers = 20, batch = 25 } = opts;
  return withBenchDatabase(opts.url, async (url) => {
    const storage = createStorage(url, { maxConnections: claimers });
    const raw = postgres(url, { max: 1 });
    try {
      const org = await storage.organizations.create({ name: 'bench', externalId: newId('org') });
      const kind = `bench-${Date.now()}`;
      const ids = Array.from({ length: items }, () => newId('wrk'));
      await raw`
        insert into work_items (id, org_id, kind, subject_id)
        select id, ${org.id}, ${kind}, id from unnest(${ids}::text[]) as id`;

      const owner = new Map<string, string>();
      let doubleClaims = 0;
      const claimer = async (workerId: string) => {
        for (;;) {
          const claimed = await storage.work.claim({
            workerId,
            limit: batch,
            leaseMs: 300_000,
            kinds: [kind],
          });
          if (claimed.length === 0) return;
          for (const item of claimed) {
            if (owner.has(item.id)) doubleClaims += 1;
            owner.set(item.id, workerId);
          }
        }
      };
      const started = performance.now();
      await Promise.all(Array.from({ length: claimers }, (_, i) => claimer(`worker-${i}`)));
      const seconds = (performance.now() - started) / 1000;
      if (owner.size !== items) throw new Error(`claimed ${owner.size} of ${items} items`);
      if (doubleClaims > 0) throw new Error(`${doubleClaims} items were claimed twice`);
      return { items, claimers, batch, seconds, claimsPerSecond: items / seconds, doubleClaims };
    } finally {
      await raw.end();
      await storage.close();
    }
  });
}

if (isMain(import.meta.url)) {
  const result = await benchClaims({ url: process.env.BENCH_DATABASE_URL });
  console.log(
    `claims: ${result.items} items, ${result.claimers} claimers, batch ${result.batch}: ` +
      `${result.claimsPerSecond.toFixed(0)} claims/s in ${result.seconds.toFixed(2)} s, ` +
      `double claims: ${result.doubleClaims} (target >= 2000 claims/s)`,
  );
}
