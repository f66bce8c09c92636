/** Shared by the dashboard browser tests: database + issuer + `next start` + Chromium, and a login helper. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStorage, type PostgresStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { type LocalIssuer, startLocalIssuer, storageMemberships } from '@omakase/devstack/issuer';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { ensureBuilt, freePort, type RunningApp, startNext } from '../support/next-app';
import { type Seeded, seedDirectory } from '../support/seed';
import { webEnv } from '../support/stack';

export const SCREENSHOTS = resolve(import.meta.dirname, '../../../../artifacts/screenshots');

export interface DashboardStack {
  database: TestDatabase;
  storage: PostgresStorage;
  seeded: Seeded;
  issuer: LocalIssuer;
  app: RunningApp;
  browser: Browser;
  login(email: string): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** `databaseUrl`: use that (migrated) database instead of a fresh test database (benchmarks). */
const borrowed = async (url: string): Promise<TestDatabase> => ({
  url,
  name: new URL(url).pathname.slice(1),
  drop: async () => {},
});

/** Environment for `next start`: fixed, or computed from the seeded directory (its org ids). */
type ExtraEnv = Record<string, string> | ((seeded: Seeded) => Record<string, string>);

export async function startDashboardStack(
  extraEnv: ExtraEnv = {},
  opts: {
    databaseUrl?: string;
    /** The issuer reads memberships from the database (as `npm start` does), so joins and role changes show up at login. */
    membershipsFromDatabase?: boolean;
  } = {},
): Promise<DashboardStack> {
  const [port, database] = await Promise.all([
    freePort(),
    opts.databaseUrl ? borrowed(opts.databaseUrl) : createTestDatabase(),
    ensureBuilt(),
  ]);
  const appUrl = `http://localhost:${port}`;
  const storage = createStorage(database.url, { maxConnections: 4 });
  const seeded = await seedDirectory(storage);
  const issuer = await startLocalIssuer({
    port: 0,
    appBaseUrls: [appUrl],
    dataDir: await mkdtemp(join(tmpdir(), 'omakase-dash-issuer-')),
    ...(opts.membershipsFromDatabase ? { memberships: storageMemberships(storage) } : {}),
  });
  const app = await startNext(port, {
    ...webEnv({ databaseUrl: database.url, issuerUrl: issuer.url, appBaseUrl: appUrl }),
    ...(typeof extraEnv === 'function' ? extraEnv(seeded) : extraEnv),
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  return {
    database,
    storage,
    seeded,
    issuer,
    app,
    browser,
    async login(email) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${app.url}/`);
      await page.waitForURL((url) => url.href.startsWith(issuer.url));
      await page.fill('#email', email);
      await page.fill('#password', 'demo');
      await page.click('button[type=submit]');
      await page.waitForURL(`${app.url}/`);
      await page.close();
      return context;
    },
    async close() {
      await browser.close();
      await app.stop();
      await issuer.stop();
      await storage.close();
      await database.drop();
    },
  };
}
