/**
 * The dashboard at 1,000 features in real Chromium against `next start` (production build):
 * board server render + hydration, and the dependency graph rendered and answering a zoom.
 */
import { join } from 'node:path';
import { percentile, withBenchDatabase } from '@omakase/db/testing';
import type { FeatureId, FeatureStatus } from '@omakase/domain';
import { COLUMN_PAGE } from '../src/client/board-state';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from '../test/e2e/dashboard-support';

const STATUSES: FeatureStatus[] = ['pending', 'pending', 'done', 'done', 'coding', 'needs_input', 'failed'];

async function seedFeatures(stack: DashboardStack, count: number) {
  const store = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const ids: FeatureId[] = [];
  for (let i = 0; i < count; i++) {
    // A layered DAG: most features depend on one or two of the twenty before them.
    const deps = i < 20 ? [] : [ids[i - 1 - (i % 20)]!, ...(i % 3 === 0 ? [ids[i - 7]!] : [])];
    const f = await store.features.create(stack.seeded.shop.id, {
      title: `Feature ${i} with a realistic title`,
      category: ['frontend', 'backend', 'payments'][i % 3],
      priority: (i % 5) as 0 | 1 | 2 | 3 | 4,
      dependsOn: [...new Set(deps)],
    });
    ids.push(f.id);
    const status = STATUSES[i % STATUSES.length]!;
    if (status !== 'pending') await store.features.update(f.id, { status });
  }
}

export async function benchDashboardBrowser(
  opts: { features?: number; loads?: number; board?: boolean; graph?: boolean } = {},
) {
  const { features = 1000, loads = 7, board: measureBoard = true, graph: measureGraph = true } = opts;
  return withBenchDatabase(undefined, async (databaseUrl) => {
    const stack = await startDashboardStack({}, { databaseUrl });
    try {
      // The two seeded features plus the generated ones.
      await seedFeatures(stack, features - stack.seeded.shopFeatures.length);
      const context = await stack.login('owner@demo.local');
      const board = `${stack.app.url}/projects/${stack.seeded.shop.id}`;
      const hydration: number[] = [];
      const serverMs: number[] = [];
      let htmlBytes = 0;
      for (let i = 0; measureBoard && i <= loads; i++) {
        const page = await context.newPage();
        await page.goto(board, { waitUntil: 'commit' });
        await page.waitForFunction(() => document.documentElement?.dataset.hydrated === 'true', null, {
          timeout: 30_000,
          polling: 50,
        });
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          return {
            hydrated: performance.getEntriesByName('omakase:hydrated')[0]!.startTime,
            server: nav.responseEnd - nav.requestStart,
            bytes: nav.decodedBodySize,
            cards: document.querySelectorAll('[data-testid=feature-card]').length,
          };
        });
        // Each column renders its first COLUMN_PAGE cards ("Show more" for the rest).
        if (t.cards < 4 * COLUMN_PAGE) throw new Error(`board showed only ${t.cards} cards`);
        // The first load warms the server's caches and compiles; it is not counted.
        if (i === 0) await page.screenshot({ path: join(SCREENSHOTS, 'board-1000.png') });
        if (i > 0) {
          hydration.push(t.hydrated);
          serverMs.push(t.server);
        }
        htmlBytes = t.bytes;
        await page.close();
      }

      const graphReady: number[] = [];
      const zoomMs: number[] = [];
      for (let i = 0; measureGraph && i <= Math.min(loads, 5); i++) {
        const page = await context.newPage();
        await page.goto(`${board}/graph`, { waitUntil: 'commit' });
        // Rendered: visible nodes are drawn and the MiniMap shows every node.
        const ready = await page.waitForFunction(
          (count) =>
            document.querySelectorAll('.react-flow__minimap-node').length >= count &&
            [...document.querySelectorAll<HTMLElement>('.react-flow__node')].some(
              (n) => getComputedStyle(n).visibility === 'visible',
            )
              ? performance.now()
              : null,
          features,
          { timeout: 30_000, polling: 'raf' },
        );
        const renderedAt = (await ready.jsonValue()) as number;
        if (i === 0) await page.screenshot({ path: join(SCREENSHOTS, 'graph-1000.png') });
        // Interactive: a wheel zoom changes the viewport transform, measured in the page.
        const box = (await page.locator('.react-flow').boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.evaluate(() => {
          const w = window as unknown as { zoomed: Promise<number> };
          const viewport = document.querySelector('.react-flow__viewport')!;
          w.zoomed = new Promise<number>((resolve) => {
            const observer = new MutationObserver(() => resolve(performance.now()));
            observer.observe(viewport, { attributes: true });
          });
        });
        const wheelAt = await page.evaluate(() => performance.now());
        await page.mouse.wheel(0, -300);
        const zoom =
          (await page.evaluate(() => (window as unknown as { zoomed: Promise<number> }).zoomed)) - wheelAt;
        if (i > 0) {
          graphReady.push(renderedAt);
          zoomMs.push(zoom);
        }
        await page.close();
      }
      await context.close();
      return {
        features,
        loads,
        hydrationP50: percentile(hydration, 50),
        hydrationP95: percentile(hydration, 95),
        serverP50: percentile(serverMs, 50),
        htmlKb: htmlBytes / 1024,
        graphP50: percentile(graphReady, 50),
        graphP95: percentile(graphReady, 95),
        zoomP50: percentile(zoomMs, 50),
      };
    } finally {
      await stack.close();
    }
  });
}
