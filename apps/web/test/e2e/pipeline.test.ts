/**
 * The pipeline driven from the browser: a real orchestrator process runs the real agent runner
 * and Claude Agent SDK against the scripted model server, on the dashboard's database — on the
 * demo repository, and on a public repository a newcomer connects (lukeed/dequal).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_COMMAND_ALLOWLIST } from '@omakase/demo-repo';
import type { TenantStore } from '@omakase/domain';
import { FIXTURES, fixtureRepository } from '@omakase/test-fixtures';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  newDataDir,
  newRunTokenSecret,
  type PipelineServices,
  startPipelineServices,
} from '../support/pipeline-services';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from './dashboard-support';

let stack: DashboardStack;
let services: PipelineServices;
let demo: TenantStore;
let dataDir: string;

beforeAll(async () => {
  const runTokenSecret = newRunTokenSecret();
  dataDir = await newDataDir();
  // As `npm start` runs it: the demo org may connect repositories under <data dir>/repos/<org id>/.
  stack = await startDashboardStack((seeded) => ({
    RUN_TOKEN_SECRET: runTokenSecret,
    OMAKASE_DATA_DIR: dataDir,
    OMAKASE_LOCAL_REPOSITORY_ORGS: seeded.orgs.org_demo!.id,
  }));
  services = await startPipelineServices({
    databaseUrl: stack.database.url,
    apiUrl: stack.app.url,
    runTokenSecret,
    orgId: stack.seeded.orgs.org_demo!.id,
    dataDir,
  });
  demo = stack.storage.forOrg(stack.seeded.orgs.org_demo!.id);
  // Paused: only the features the tests start run (an active project starts ready dependants).
  await demo.projects.update(stack.seeded.shop.id, {
    status: 'paused',
    repositoryUrl: services.repositoryUrl,
    settings: {
      maxConcurrentAgents: 2,
      budgetPerFeatureUsd: 5,
      commandAllowlist: [...DEMO_COMMAND_ALLOWLIST],
    },
  });
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await services?.stop();
  await stack?.close();
});

const boardUrl = () => `${stack.app.url}/projects/${stack.seeded.shop.id}`;
const live = (page: Page) => page.locator('[data-testid=stream-status][data-status=live]').waitFor();

/** Records every (column, status, mascot) the card shows, on each DOM change, in the page. */
async function recordCard(page: Page, key: string) {
  await page.evaluate((featureKey) => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const record = () => {
      const card = document.querySelector(`[data-feature-key="${featureKey}"]`);
      if (!card) return;
      const column = card.closest('section')?.getAttribute('data-testid');
      const mascot = card.querySelector('[data-testid=card-stage] .mascot')?.getAttribute('data-role') ?? '-';
      const entry = `${column}:${card.getAttribute('data-status')}:${mascot}`;
      if (seen.at(-1) !== entry) seen.push(entry);
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
    record();
  }, key);
  return () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
}

it('starts the demo pipeline from the board and shows the card pass through the stages to Done with a celebration', async () => {
  const owner = await stack.login('owner@demo.local');
  const page = await owner.newPage();
  await page.goto(boardUrl());
  await live(page);
  const seen = await recordCard(page, 'SHOP-1');

  await page.getByRole('button', { name: 'Start SHOP-1' }).click();
  const inProgress = page.getByTestId('column-in_progress').locator('[data-feature-key="SHOP-1"]');
  await inProgress.getByTestId('card-stage').waitFor();
  await page.getByTestId('column-in_progress').getByTestId('card-thought').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'board-in-progress.png') });
  // A live run has reported no usage yet: the agents panel shows its elapsed time, not "0 tok".
  const agentRun = await page.getByTestId('agent-run').first().textContent();
  expect(agentRun).toContain('SHOP-1');
  expect(agentRun).not.toMatch(/tok|\$/);

  const done = page.getByTestId('column-done').locator('[data-feature-key="SHOP-1"]');
  await done.waitFor({ timeout: 180_000 });
  const celebration = page.getByTestId('celebration');
  await celebration.filter({ hasText: 'SHOP-1 is done!' }).waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, 'celebration.png') });

  // Every stage showed in In Progress with its own agent's mascot; review asked for one rework.
  expect(await seen()).toEqual([
    'column-pending:pending:-',
    'column-in_progress:setting_up:setup',
    'column-in_progress:architecting:architect',
    'column-in_progress:coding:coder',
    'column-in_progress:reviewing:reviewer',
    'column-in_progress:coding:coder',
    'column-in_progress:reviewing:reviewer',
    'column-in_progress:testing:tester',
    'column-done:done:-',
  ]);
  // Checkout was blocked by the cart: now it is not.
  const checkout = page.getByTestId('column-pending').locator('[data-feature-key="SHOP-2"]');
  await expect(checkout.textContent()).resolves.not.toMatch(/blocked/);

  // Each finished agent run shows the tokens and cost it reported; the setup run what it did.
  await page.goto(`${boardUrl()}/features/${stack.seeded.shopFeatures[0]!.id}`);
  const history = await page.getByTestId('run-history').locator('button').allTextContents();
  expect(history).toHaveLength(7);
  expect(history.at(-1)).toMatch(/Setup #1 · succeeded(no install|installed in [\d.]+ s) · baseline green$/);
  for (const line of history.slice(0, -1)) expect(line).toMatch(/succeeded[1-9][\d,]* tok · (\$|<\$)/);
  await owner.close();
}, 240_000);

it('pauses on a needs-input question and resumes the pipeline when it is answered in the feature detail', async () => {
  const storeLocator = await demo.features.create(stack.seeded.shop.id, { title: 'Add a store locator' });
  // A budget too small for one architect run: the runner stops and the feature asks the human.
  await demo.projects.update(stack.seeded.shop.id, { settings: { budgetPerFeatureUsd: 0.001 } });
  const owner = await stack.login('owner@demo.local');
  const page = await owner.newPage();
  await page.goto(`${boardUrl()}/features/${storeLocator.id}`);
  await live(page);
  await page.getByRole('button', { name: `Start ${storeLocator.key}` }).click();

  const question = page.getByTestId('needs-input-question');
  await question.waitFor({ timeout: 120_000 });
  await expect(question.textContent()).resolves.toMatch(/budget while architecting/);
  await expect(page.getByTestId('feature-status').textContent()).resolves.toBe('Needs input');
  await page.screenshot({ path: join(SCREENSHOTS, 'needs-input.png'), fullPage: true });

  await demo.projects.update(stack.seeded.shop.id, { settings: { budgetPerFeatureUsd: 5 } });
  await page.fill('#answer', 'The budget is raised to $5: plan it again.');
  await page.getByRole('button', { name: 'Send answer' }).click();
  // The question goes away and the architect runs again, this time into coding.
  await question.waitFor({ state: 'detached' });
  await page.locator('[data-testid=feature-status]', { hasText: 'Coding' }).waitFor({ timeout: 120_000 });
  const runs = await demo.runs.listByFeature(storeLocator.id);
  expect(runs.map((r) => `${r.role}:${r.status}`).slice(0, 3)).toEqual([
    'setup:succeeded',
    'architect:failed',
    'architect:succeeded',
  ]);
  expect(runs[2]!.input).toMatchObject({ trigger: { kind: 'human_answer' } });

  await page.getByRole('button', { name: `Stop ${storeLocator.key}` }).click();
  await page.locator('[data-testid=feature-status]', { hasText: 'Cancelled' }).waitFor({ timeout: 30_000 });
  await owner.close();
}, 240_000);

it('lets a newcomer connect a public repository, shows its detected commands, and takes a feature to Done', async () => {
  const orgId = stack.seeded.orgs.org_demo!.id;
  const repo = await fixtureRepository('dequal', join(dataDir, 'repos', orgId, 'dequal'));
  const owner = await stack.login('owner@demo.local');
  const page = await owner.newPage();
  await page.goto(`${stack.app.url}/`);
  await page.fill('#name', 'dequal');
  await page.fill('#keyPrefix', 'DEQ');
  await page.fill('#repositoryUrl', `file://${repo}`);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByText('Created dequal').waitFor();
  const project = (await demo.projects.list()).find((p) => p.name === 'dequal')!;

  // The orchestrator reads the repository's commands; the settings page shows them as detected.
  await expect
    .poll(async () => (await demo.projects.get(project.id))?.detectedCommands?.commands, {
      timeout: 60_000,
    })
    .toMatchObject({ setup: { command: FIXTURES.dequal.setup }, test: { command: FIXTURES.dequal.test } });
  await page.goto(`${stack.app.url}/projects/${project.id}/settings`);
  const testRow = page.locator('[data-command=test]');
  await testRow.getByText('detected from package.json scripts.test').waitFor();
  await expect(page.getAttribute('[id="commands.test"]', 'placeholder')).resolves.toBe('npm test');
  await expect(page.getAttribute('[id="commands.setup"]', 'placeholder')).resolves.toBe('npm install');
  await page.screenshot({ path: join(SCREENSHOTS, 'newcomer-detected-commands.png'), fullPage: true });

  await page.goto(`${stack.app.url}/projects/${project.id}`);
  await live(page);
  await page.getByRole('button', { name: 'New feature' }).click();
  await page.fill('#title', 'Document deep equality for maps');
  await page.fill('#acceptanceCriteria', 'The README documents how Map values compare');
  const seen = await recordCard(page, 'DEQ-1');
  await page.getByRole('button', { name: 'Add feature' }).click();
  // A new project is active: the orchestrator starts the ready feature by itself.
  await page.getByTestId('column-done').locator('[data-feature-key="DEQ-1"]').waitFor({ timeout: 180_000 });
  // Its only feature is done, so the whole project is: the big celebration.
  await page.getByTestId('celebration').filter({ hasText: 'Project complete!' }).waitFor();
  expect((await seen()).filter((s) => s.startsWith('column-in_progress')).slice(0, 3)).toEqual([
    'column-in_progress:setting_up:setup',
    'column-in_progress:architecting:architect',
    'column-in_progress:coding:coder',
  ]);

  // The setup run installed the repository's devDependencies; its test runner's verdict decided.
  const [feature] = await demo.features.list(project.id);
  await page.goto(`${stack.app.url}/projects/${project.id}/features/${feature!.id}`);
  const history = await page.getByTestId('run-history').locator('button').allTextContents();
  expect(history.at(-1)).toMatch(/^Setup #1 · succeededinstalled in [\d.]+ s · baseline green$/);
  expect(history[0]).toMatch(/^Tester #1 · succeeded/);
  await page.screenshot({ path: join(SCREENSHOTS, 'newcomer-done.png'), fullPage: true });
  await owner.close();
}, 300_000);
