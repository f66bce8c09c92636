import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from './dashboard-support';

let stack: DashboardStack;

beforeAll(async () => {
  stack = await startDashboardStack();
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

const boardUrl = () => `${stack.app.url}/projects/${stack.seeded.shop.id}`;

it('shows the board in columns and pushes a feature created in one browser to another within a second', async () => {
  const [alice, bob] = await Promise.all([stack.login('owner@demo.local'), stack.login('admin@demo.local')]);
  const a = await alice.newPage();
  const b = await bob.newPage();
  await Promise.all([a.goto(boardUrl()), b.goto(boardUrl())]);
  const pending = b.getByTestId('column-pending');
  await pending.getByTestId('feature-card').filter({ hasText: 'Shopping cart' }).waitFor();
  // Checkout depends on the unfinished cart: blocked, one dependency, urgent.
  const checkout = pending.getByTestId('feature-card').filter({ hasText: 'Checkout' });
  await expect(checkout.textContent()).resolves.toMatch(/blocked.*P1 Urgent.*1 dep/s);
  await Promise.all([
    a.locator('[data-testid=stream-status][data-status=live]').waitFor(),
    b.locator('[data-testid=stream-status][data-status=live]').waitFor(),
  ]);

  // A cycle is refused inline: Shopping cart may not depend on Checkout, which depends on it.
  await a.getByTestId('feature-card').filter({ hasText: 'Shopping cart' }).getByRole('link').click();
  await a.getByTestId('feature-detail').waitFor();
  await a.getByRole('button', { name: 'Edit' }).click();
  await a.selectOption('#dependsOn', { label: 'SHOP-2 · Checkout' });
  await a.getByRole('button', { name: 'Save feature' }).click();
  await expect(a.locator('#dependsOn-error').textContent()).resolves.toMatch(/cycle/i);
  await a.getByRole('button', { name: 'Cancel' }).click();
  await a.goto(boardUrl());
  await a.locator('[data-testid=stream-status][data-status=live]').waitFor();

  await a.keyboard.press('n');
  await a.fill('#title', 'Gift cards');
  await a.fill('#category', 'payments');
  await a.selectOption('#priority', '2');
  await a.selectOption('#dependsOn', { label: 'SHOP-2 · Checkout' });
  await a.getByRole('button', { name: 'Add feature' }).click();
  // The second browser sees it without reloading, within a second of the first seeing it.
  await a.getByTestId('feature-card').filter({ hasText: 'Gift cards' }).waitFor({ timeout: 5000 });
  await b.getByTestId('feature-card').filter({ hasText: 'Gift cards' }).waitFor({ timeout: 1000 });
  await expect(
    b.getByTestId('feature-card').filter({ hasText: 'Gift cards' }).textContent(),
  ).resolves.toMatch(/SHOP-3.*P2 High.*payments.*1 dep/s);

  // Bulk add from a pasted list.
  await a.getByRole('button', { name: 'Bulk add' }).click();
  await a.fill('#titles', 'Wishlist\n- Reviews\n\nCoupons');
  await a.getByRole('button', { name: 'Add all' }).click();
  for (const title of ['Wishlist', 'Reviews', 'Coupons']) {
    await b.getByTestId('feature-card').filter({ hasText: title }).waitFor({ timeout: 5000 });
  }
  await b.screenshot({ path: join(SCREENSHOTS, 'board.png'), fullPage: true });

  // The graph shows the dependency edges (cart → checkout → gift cards), blocked ones dashed.
  await b.keyboard.press('g');
  await b.keyboard.press('g');
  await b.waitForURL(/\/graph$/);
  await b.getByTestId('graph-node').first().waitFor();
  await expect(b.getByTestId('graph-node').count()).resolves.toBe(6);
  // A straight horizontal edge has a zero-height box, which Playwright calls hidden: wait for it in the DOM.
  await b.locator('.react-flow__edge').nth(1).waitFor({ state: 'attached' });
  await expect(b.locator('.react-flow__edge').count()).resolves.toBe(2);
  await expect(b.locator('.react-flow__edge.edge-blocked').count()).resolves.toBe(2);
  await b.screenshot({ path: join(SCREENSHOTS, 'graph.png') });
  // The MiniMap draws every node in its status colour (pending slate), in light and dark.
  const minimapFills = () =>
    b.locator('.react-flow__minimap-node').evaluateAll((rects) => rects.map((r) => getComputedStyle(r).fill));
  await expect(minimapFills()).resolves.toEqual(Array(6).fill('rgb(148, 163, 184)'));
  await b.emulateMedia({ colorScheme: 'dark' });
  await expect(
    b.locator('.react-flow__minimap').evaluate((svg) => getComputedStyle(svg).backgroundColor),
  ).resolves.toBe('rgb(36, 34, 31)');
  await expect(minimapFills()).resolves.toHaveLength(6);
  await b.screenshot({ path: join(SCREENSHOTS, 'graph-dark.png') });
  await b.emulateMedia({ colorScheme: 'light' });

  // Clicking a node opens the feature.
  await b.getByTestId('graph-node').filter({ hasText: 'Gift cards' }).click();
  await b.getByTestId('feature-detail').waitFor();
  await expect(b.getByTestId('feature-status').textContent()).resolves.toBe('Pending');
  await b.getByText('The feature has no branch yet.').waitFor();
  await b.screenshot({ path: join(SCREENSHOTS, 'feature-detail.png'), fullPage: true });
  await alice.close();
  await bob.close();
}, 90_000);

it('shows a viewer no edit controls, and the API refuses the viewer’s writes with 403', async () => {
  const viewer = await stack.login('viewer@demo.local');
  const page = await viewer.newPage();
  await page.goto(boardUrl());
  await page.getByTestId('feature-card').first().waitFor();
  await page.locator('[data-testid=stream-status][data-status=live]').waitFor();
  for (const name of [
    'New feature',
    'Bulk add',
    'Start project',
    'Pause project',
    'Stop all',
    'Start SHOP-1',
  ]) {
    await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
  }
  await expect(page.locator('[draggable=true]').count()).resolves.toBe(0);
  await page.keyboard.press('n');
  await expect(page.locator('#title').count()).resolves.toBe(0);
  await page.goto(`${boardUrl()}/settings`);
  await page.getByText('Your role can view these settings but not change them.').waitFor();
  await expect(page.getByRole('button', { name: 'Save settings' }).count()).resolves.toBe(0);

  const [cart] = stack.seeded.shopFeatures;
  const create = await page.request.post(
    `${stack.app.url}/api/v1/projects/${stack.seeded.shop.id}/features`,
    {
      data: { title: 'sneaky' },
    },
  );
  expect(create.status()).toBe(403);
  const start = await page.request.post(`${stack.app.url}/api/v1/features/${cart!.id}/start`);
  expect(start.status()).toBe(403);
  const patch = await page.request.patch(`${stack.app.url}/api/v1/projects/${stack.seeded.shop.id}`, {
    data: { settings: { maxConcurrentAgents: 9 } },
  });
  expect(patch.status()).toBe(403);
  // Reading is allowed: the board and its live stream.
  const board = await page.request.get(`${stack.app.url}/api/v1/projects/${stack.seeded.shop.id}/board`);
  expect(board.status()).toBe(200);
  await viewer.close();
}, 60_000);

it('refuses the project stream without a session and for another org’s project', async () => {
  const anonymous = await fetch(`${stack.app.url}/api/v1/projects/${stack.seeded.shop.id}/stream`);
  expect(anonymous.status).toBe(401);
  const owner = await stack.login('owner@demo.local');
  const other = await owner.request.get(
    `${stack.app.url}/api/v1/projects/${stack.seeded.otherProject.id}/stream`,
  );
  expect(other.status()).toBe(404);
  await owner.close();
}, 60_000);

it('renders a long column in pages: 60 cards, then “Show more” reveals the rest', async () => {
  const demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  const big = await demo.projects.create({ name: 'big', keyPrefix: 'BIG', repositoryUrl: 'file:///tmp/big' });
  for (let i = 1; i <= 70; i++) await demo.features.create(big.id, { title: `Feature ${i}` });
  const owner = await stack.login('owner@demo.local');
  const page = await owner.newPage();
  await page.goto(`${stack.app.url}/projects/${big.id}`);
  // The visible column: while the page streams in, Next can hold a hidden copy of the board.
  const pending = page.getByTestId('column-pending').filter({ visible: true });
  await pending.getByTestId('feature-card').first().waitFor();
  expect(await pending.getByTestId('feature-card').count()).toBe(60);
  // Same priority: key order, so the first page ends at BIG-60.
  await expect(pending.getByTestId('feature-card').last().getAttribute('data-feature-key')).resolves.toBe(
    'BIG-60',
  );
  await pending.getByRole('button', { name: 'Show 10 more' }).click();
  await pending.locator('[data-feature-key="BIG-70"]').waitFor();
  expect(await pending.getByTestId('feature-card').count()).toBe(70);
  expect(await pending.getByRole('button', { name: /Show \d+ more/ }).count()).toBe(0);
  await owner.close();
}, 60_000);

it('lists failed work for admins and queues it again on Retry (members get no such page)', async () => {
  const orgId = stack.seeded.orgs.org_demo!.id;
  // A launch that failed all its attempts (as the orchestrator's worker leaves it).
  const item = await stack.storage.work.enqueue({ orgId, kind: 'run.launch', subjectId: 'run_dead_letter' });
  const [claimed] = await stack.storage.work.claim({
    workerId: 'e2e',
    limit: 1,
    leaseMs: 60_000,
    kinds: ['run.launch'],
  });
  expect(claimed?.id).toBe(item.id);
  await stack.storage.work.bury({
    workerId: 'e2e',
    id: item.id,
    error: 'Error: workspace_error: clone failed',
  });

  const admin = await stack.login('admin@demo.local');
  const page = await admin.newPage();
  await page.goto(`${stack.app.url}/settings/work`);
  const row = page.locator(`[data-work-item="${item.id}"]`);
  await expect(row.textContent()).resolves.toMatch(/run\.launch.*run_dead_letter.*1.*clone failed/s);
  await page.screenshot({ path: join(SCREENSHOTS, 'failed-work.png'), fullPage: true });
  await row.getByRole('button', { name: 'Retry run.launch run_dead_letter' }).click();
  await page.getByText('Queued again: run.launch run_dead_letter').waitFor();
  await page.getByTestId('dead-work-empty').waitFor();
  const tenant = stack.storage.forOrg(orgId);
  expect(await tenant.work.listDead()).toEqual([]);
  const [open] = await stack.storage.work.claim({
    workerId: 'e2e',
    limit: 1,
    leaseMs: 60_000,
    kinds: ['run.launch'],
  });
  expect({ subjectId: open?.subjectId, attempts: open?.attempts }).toEqual({
    subjectId: 'run_dead_letter',
    attempts: 1,
  });
  await admin.close();

  const member = await stack.login('member@demo.local');
  const memberPage = await member.newPage();
  const response = await memberPage.goto(`${stack.app.url}/settings/work`);
  expect(response?.status()).toBe(404);
  await member.close();
});
