/**
 * Dashboard behaviour driven by state written straight through the tenant store (as the
 * orchestrator would): drag to reprioritise, settings, the live run log, queued celebrations,
 * reduced motion. No agents run here; the pipeline itself is in pipeline.test.ts.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Feature, TenantStore } from '@omakase/domain';
import { startFeature } from '@omakase/engine';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from './dashboard-support';

let stack: DashboardStack;
let demo: TenantStore;

beforeAll(async () => {
  stack = await startDashboardStack();
  demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  // Paused: starting a feature here must not schedule its dependants.
  await demo.projects.update(stack.seeded.shop.id, { status: 'paused' });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await stack?.close();
});

const boardUrl = () => `${stack.app.url}/projects/${stack.seeded.shop.id}`;

async function openLive(path: string, reducedMotion?: 'reduce' | 'no-preference') {
  const context = await stack.login('owner@demo.local');
  const page = await context.newPage();
  if (reducedMotion) await page.emulateMedia({ reducedMotion });
  await page.goto(`${boardUrl()}${path}`);
  await page.locator('[data-testid=stream-status][data-status=live]').waitFor();
  return page;
}

// The visible board only: the page can hold a hidden copy of it while it streams in.
const pendingKeys = (page: Page) =>
  page
    .getByTestId('column-pending')
    .filter({ visible: true })
    .getByTestId('feature-card')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-feature-key')));

it('drag and drop onto a higher-priority card reprioritises the feature, and a reload keeps the order', async () => {
  const wishlist = await demo.features.create(stack.seeded.shop.id, { title: 'Wishlist', priority: 3 });
  const page = await openLive('');
  await page.getByTestId('feature-card').filter({ hasText: 'Wishlist', visible: true }).waitFor();
  // Urgent checkout, then the high-priority cart, then the medium wishlist.
  expect(await pendingKeys(page)).toEqual(['SHOP-2', 'SHOP-1', wishlist.key]);

  await page
    .locator(`li:has([data-feature-key="${wishlist.key}"])`)
    .dragTo(page.locator('li:has([data-feature-key="SHOP-2"])'));
  await page.waitForFunction(
    (key) =>
      document
        .querySelector('[data-testid=column-pending] li:nth-child(2) [data-feature-key]')
        ?.getAttribute('data-feature-key') === key,
    wishlist.key,
  );
  expect((await demo.features.get(wishlist.id))?.priority).toBe(1);

  await page.reload();
  await page.getByTestId('feature-card').first().waitFor();
  expect(await pendingKeys(page)).toEqual(['SHOP-2', wishlist.key, 'SHOP-1']);
  await expect(page.locator(`[data-feature-key="${wishlist.key}"]`).textContent()).resolves.toMatch(
    /P1 Urgent/,
  );
  await demo.features.delete(wishlist.id);
  await page.context().close();
}, 60_000);

it('saves the project settings, and shows the API’s field error for a bad value without saving it', async () => {
  const page = await openLive('/settings');
  await page.fill('#maxConcurrentAgents', '7');
  await page.fill('#budgetPerFeatureUsd', '12.5');
  await page.fill('#commandAllowlist', 'npm test\nnpm run lint\n');
  await page.check('#requirePlanApproval');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
  const saved = await demo.projects.get(stack.seeded.shop.id);
  expect(saved?.settings).toMatchObject({
    maxConcurrentAgents: 7,
    budgetPerFeatureUsd: 12.5,
    commandAllowlist: ['npm test', 'npm run lint'],
    requirePlanApproval: true,
  });

  await page.reload();
  await expect(page.isChecked('#requirePlanApproval')).resolves.toBe(true);
  await expect(page.inputValue('#maxConcurrentAgents')).resolves.toBe('7');
  await expect(page.inputValue('#budgetPerFeatureUsd')).resolves.toBe('12.5');
  await expect(page.inputValue('#commandAllowlist')).resolves.toBe('npm test\nnpm run lint');

  await page.fill('#maxConcurrentAgents', '0');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const fieldError = page.locator('#maxConcurrentAgents-error');
  await fieldError.waitFor();
  await expect(fieldError.textContent()).resolves.toMatch(/>=\s?1|at least 1|too small/i);
  await page.screenshot({ path: join(SCREENSHOTS, 'settings-error.png') });
  expect((await demo.projects.get(stack.seeded.shop.id))?.settings.maxConcurrentAgents).toBe(7);
  await page.context().close();
}, 60_000);

it('approves a plan with one click: the feature moves on to coding', async () => {
  const giftCards = await demo.features.create(stack.seeded.shop.id, { title: 'Gift cards' });
  // Where the pipeline leaves a feature whose plan awaits approval.
  await demo.features.update(giftCards.id, {
    status: 'needs_input',
    counters: { reviewRounds: 0, testRounds: 0, stage: 'coding', awaiting: 'plan_approval' },
    needsInput: {
      question:
        "The architect's plan:\nSell gift cards at checkout\nApprove it to start coding, or say what should change.",
      answer: null,
      askedAt: new Date(),
      reason: 'plan_approval',
    },
  });
  const page = await openLive(`/features/${giftCards.id}`);
  await page.getByText('The plan is ready for your approval').waitFor();
  await expect(page.getByTestId('needs-input-question').textContent()).resolves.toContain(
    'Sell gift cards at checkout',
  );
  await page.screenshot({ path: join(SCREENSHOTS, 'plan-approval.png') });
  await page.getByRole('button', { name: 'Approve plan' }).click();
  await page.getByTestId('feature-status').filter({ hasText: 'Coding' }).waitFor();
  const runs = await demo.runs.listByFeature(giftCards.id);
  expect(runs.map((r) => r.role)).toEqual(['coder']);
  expect((await demo.features.get(giftCards.id))?.needsInput?.answer).toBe('approve');
  await page.context().close();
}, 60_000);

it('streams a run’s events into the feature’s log as they are written', async () => {
  const search = await demo.features.create(stack.seeded.shop.id, { title: 'Product search' });
  const started = await startFeature(demo, search.id, { orgMaxConcurrentAgents: 10 });
  expect(started.ok).toBe(true);
  const [run] = await demo.runs.listByFeature(search.id);
  await demo.runs.update(run!.id, { status: 'running', startedAt: new Date() });

  const page = await openLive(`/features/${search.id}`);
  const log = page.getByTestId('run-log');
  await log.getByText('No events yet.').waitFor();
  await demo.events.append(run!.id, [{ type: 'thought', payload: { text: 'Reading the catalogue module' } }]);
  await log.getByText('Reading the catalogue module').waitFor({ timeout: 5000 });
  await demo.events.append(run!.id, [
    { type: 'tool_call', payload: { name: 'Bash', command: 'npm test' } },
    { type: 'thought', payload: { text: 'Search needs an index on the title' } },
  ]);
  await log.getByText('Search needs an index on the title').waitFor({ timeout: 5000 });
  const lines = await log.locator(':scope > div.flex').allTextContents();
  expect(lines).toEqual([
    'thoughtReading the catalogue module',
    'tool_callnpm test',
    'thoughtSearch needs an index on the title',
  ]);
  await page.context().close();
}, 60_000);

it('queues the celebrations of two features that finish together, one after the other', async () => {
  const features: Feature[] = [];
  for (const title of ['Reviews', 'Coupons']) {
    const f = await demo.features.create(stack.seeded.shop.id, { title });
    features.push((await demo.features.update(f.id, { status: 'testing' }))!);
  }
  const page = await openLive('');
  const inProgress = page.getByTestId('column-in_progress');
  for (const f of features) await inProgress.locator(`[data-feature-key="${f.key}"]`).waitFor();

  await demo.transaction(async (tx) => {
    for (const f of features) await tx.features.update(f.id, { status: 'done' });
  });
  const celebration = page.getByTestId('celebration');
  await celebration.filter({ hasText: `${features[0]!.key} is done!` }).waitFor({ timeout: 5000 });
  await expect(celebration.textContent()).resolves.toMatch(/\+1 more/);
  // The second waits its turn (about 3 s), and then nothing is queued behind it.
  await celebration.filter({ hasText: `${features[1]!.key} is done!` }).waitFor({ timeout: 8000 });
  await expect(celebration.textContent()).resolves.not.toMatch(/more/);
  await page.context().close();
}, 60_000);

it('stops the mascot animations when the user prefers reduced motion', async () => {
  const f = await demo.features.create(stack.seeded.shop.id, { title: 'Size guide' });
  await demo.features.update(f.id, { status: 'coding' });
  const animationOf = (page: Page) =>
    page
      .locator(`[data-feature-key="${f.key}"] [data-testid=card-stage] .mascot-figure`)
      .first()
      .evaluate((el) => getComputedStyle(el).animationName);

  const moving = await openLive('', 'no-preference');
  await expect(animationOf(moving)).resolves.not.toBe('none');
  await moving.context().close();

  const still = await openLive('', 'reduce');
  await expect(animationOf(still)).resolves.toBe('none');
  await still.context().close();
}, 60_000);
