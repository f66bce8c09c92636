import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createStorage } from '@omakase/db';
import { createTestDatabase, type TestDatabase } from '@omakase/db/testing';
import { type LocalIssuer, startLocalIssuer } from '@omakase/devstack/issuer';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, freePort, type RunningApp, startNext } from '../support/next-app';
import { seedDirectory } from '../support/seed';
import { webEnv } from '../support/stack';

const SCREENSHOT = resolve(import.meta.dirname, '../../../../artifacts/screenshots/projects.png');

let database: TestDatabase;
let issuer: LocalIssuer;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  const [port, db, built] = await Promise.all([freePort(), createTestDatabase(), ensureBuilt()]);
  database = db;
  console.info(built.rebuilt ? 'built the app' : 'reused the existing build');
  const appUrl = `http://localhost:${port}`;
  issuer = await startLocalIssuer({
    port: 0,
    appBaseUrls: [appUrl],
    dataDir: await mkdtemp(join(tmpdir(), 'omakase-e2e-issuer-')),
  });
  const storage = createStorage(database.url, { maxConnections: 1 });
  await seedDirectory(storage);
  await storage.close();
  app = await startNext(
    port,
    webEnv({ databaseUrl: database.url, issuerUrl: issuer.url, appBaseUrl: appUrl }),
  );
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await issuer?.stop();
  await database?.drop();
});

it('logs in through the real form, creates a feature and logs out', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(`${app.url}/`);
  await page.waitForURL((url) => url.href.startsWith(issuer.url));
  await page.fill('#email', 'owner@demo.local');
  await page.fill('#password', 'demo');
  await page.click('button[type=submit]');
  await page.waitForURL(`${app.url}/`);

  await expect(page.getByTestId('org-name').textContent()).resolves.toBe('Demo');
  await expect(page.getByTestId('demo-mode').textContent()).resolves.toContain('Demo mode');
  await page.getByRole('heading', { name: 'demo-shop' }).waitFor();
  // Owner of Demo and admin of Sandbox: the switcher offers the other org.
  await expect(page.locator('a[href*="organization=org_sandbox"]').count()).resolves.toBe(1);

  // The API accepts the session cookie as well as Bearer tokens.
  const api = await page.request.get(`${app.url}/api/v1/projects`);
  expect(api.status()).toBe(200);
  expect(((await api.json()) as { items: { name: string }[] }).items.map((p) => p.name)).toEqual([
    'demo-shop',
  ]);

  await page.getByRole('heading', { name: 'demo-shop' }).click();
  const rows = page.getByTestId('feature-card');
  await rows.filter({ hasText: 'Shopping cart' }).waitFor();
  await rows.filter({ hasText: 'Checkout' }).waitFor();

  // Server-side validation shows inline, by field (the board's "New feature" dialog).
  await page.click('button:has-text("New feature")');
  await page.click('button:has-text("Add feature")');
  await page.locator('#title-error').waitFor();

  await page.fill('#title', 'Gift cards');
  await page.fill('#category', 'payments');
  await page.selectOption('#dependsOn', { label: 'SHOP-2 · Checkout' });
  await page.click('button:has-text("Add feature")');
  const row = rows.filter({ hasText: 'Gift cards' });
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain('SHOP-3');

  await page.goto(`${app.url}/`);
  await page.getByText('3 features').waitFor();
  await mkdir(resolve(SCREENSHOT, '..'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  await page.click('text=Log out');
  await page.waitForURL((url) => url.href.startsWith(issuer.url) && url.pathname !== '/oidc/logout');
  await page.locator('#email').waitFor();
  const cookies = await page.context().cookies(app.url);
  expect(cookies.find((c) => c.name === '__session')).toBeUndefined();
  await page.close();
}, 60_000);
