/**
 * Project settings in the browser: the commands the orchestrator detected show next to each
 * editable field ("detected" badge, placeholder, where from); a user value replaces one, clearing
 * it goes back to the detected command; role limits save and a size Fargate refuses is shown
 * under its field.
 */
import { join } from 'node:path';
import { DEFAULT_ROLE_LIMITS } from '@omakase/domain';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from './dashboard-support';

let stack: DashboardStack;

beforeAll(async () => {
  stack = await startDashboardStack();
  // What the orchestrator stores after reading the repository (apps/orchestrator detect-commands).
  await stack.storage.forOrg(stack.seeded.shop.orgId).projects.update(stack.seeded.shop.id, {
    detectedCommands: {
      commands: {
        setup: { command: 'npm ci', source: 'package-lock.json' },
        test: { command: 'npm test', source: 'package.json scripts.test' },
        build: { command: 'npm run build', source: 'package.json scripts.build' },
      },
      baseCommit: '37c21f675c1f538f2d4b63ebf19a161411e7a5fd',
      detectedAt: new Date(),
    },
  });
}, 600_000);
afterAll(async () => {
  await stack?.close();
});

const settingsUrl = () => `${stack.app.url}/projects/${stack.seeded.shop.id}/settings`;
const row = (page: Page, name: string) => page.locator(`[data-command=${name}]`);
/** The visible badge only: while a reload streams in, a hidden copy of the form can be in the page. */
const detectedBadge = (page: Page, name: string) =>
  row(page, name).getByText('detected', { exact: true }).filter({ visible: true });
const stored = async () =>
  (await stack.storage.forOrg(stack.seeded.shop.orgId).projects.get(stack.seeded.shop.id))!;

async function save(page: Page, expected: string) {
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText(expected).waitFor();
}

it('shows detected commands, takes a user value over one, and goes back to it when cleared', async () => {
  const context = await stack.login('owner@demo.local');
  const page = await context.newPage();
  await page.goto(settingsUrl());
  await row(page, 'test').getByText('detected from package.json scripts.test').waitFor();
  await expect(detectedBadge(page, 'test').count()).resolves.toBe(1);
  await expect(page.getAttribute('[id="commands.test"]', 'placeholder')).resolves.toBe('npm test');
  await expect(page.getAttribute('[id="commands.setup"]', 'placeholder')).resolves.toBe('npm ci');
  await expect(row(page, 'lint').textContent()).resolves.toContain('none detected');
  await page.getByText('Detected from the repository at 37c21f675c').waitFor();
  await page.screenshot({
    path: join(SCREENSHOTS, 'project-settings-detected-commands.png'),
    fullPage: true,
  });

  await page.fill('[id="commands.test"]', 'npm run test:ci');
  await page.fill('[id="roles.coder.model"]', 'claude-coder-model');
  await page.fill('[id="roles.tester.shellTimeoutMs"]', '30');
  await save(page, 'Settings saved');
  let project = await stored();
  expect(project.settings.commands).toEqual({ test: 'npm run test:ci' });
  expect(project.settings.roles.coder.model).toBe('claude-coder-model');
  expect(project.settings.roles.tester.shellTimeoutMs).toBe(30 * 60_000);
  expect(project.settings.roles.architect).toEqual(DEFAULT_ROLE_LIMITS.architect);

  await page.reload();
  await expect(page.inputValue('[id="commands.test"]')).resolves.toBe('npm run test:ci');
  await expect(detectedBadge(page, 'test').count()).resolves.toBe(0);

  await page.fill('[id="commands.test"]', '');
  await save(page, 'Settings saved');
  project = await stored();
  expect(project.settings.commands).toEqual({});
  await page.reload();
  await detectedBadge(page, 'test').waitFor();
  await context.close();
});

it('shows a runner size Fargate refuses under its field and saves nothing', async () => {
  const context = await stack.login('owner@demo.local');
  const page = await context.newPage();
  await page.goto(settingsUrl());
  await page.selectOption('[id="runner.cpu"]', '4096');
  await page.fill('[id="runner.memoryMiB"]', '2048');
  await save(page, 'Not saved: fix the highlighted field.');
  await expect(page.locator('[id="runner.memoryMiB-error"]').textContent()).resolves.toMatch(
    /with cpu 4096, memoryMiB must be 8192–30720/,
  );
  expect((await stored()).settings.runner).toEqual({ cpu: 1024, memoryMiB: 2048 });
  await context.close();
});
