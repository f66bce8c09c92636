/**
 * The Linear settings page in a browser, against the fake Linear: connect with a personal API
 * key (a bad key is refused inline), pick team, project, trigger label and state mapping from
 * what Linear offers, save, and disconnect. Each step is checked in the database too.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLinearStore, createSecurityStorage } from '@omakase/db';
import type { LinearStore } from '@omakase/domain';
import { FakeLinear } from '@omakase/linear-fake';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from './dashboard-support';

let fake: FakeLinear;
let stack: DashboardStack;
let linear: LinearStore;
let team: { id: string; key: string; name: string };

beforeAll(async () => {
  fake = new FakeLinear();
  await fake.start();
  team = fake.ws.addTeam('ENG', 'Engineering');
  fake.ws.label('agents');
  fake.ws.label('Frontend');
  stack = await startDashboardStack({
    LINEAR_API_URL: `${fake.url}/graphql`,
    OMAKASE_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  linear = createLinearStore(stack.database.url, { maxConnections: 1 });
}, 600_000);

afterAll(async () => {
  await linear?.close();
  await stack?.close();
  await fake?.stop();
});

const PAGE = () => `${stack.app.url}/settings/integrations`;
const badge = (page: Page, text: RegExp) => page.locator('main').getByText(text).first().waitFor();
const orgId = () => stack.seeded.orgs.org_demo!.id;

it('connects with an API key, saves the sync settings chosen from Linear, and disconnects', async () => {
  const owner = await stack.login('owner@demo.local');
  const page = await owner.newPage();
  await page.goto(PAGE());
  await page.getByText('Not connected.').waitFor();

  // A malformed key is refused with the reason; nothing is stored.
  await page.fill('input[name=apiKey]', 'not-a-key');
  await page.fill('input[name=webhookSecret]', 'whsec-0123456789abcdef');
  await page.getByRole('button', { name: 'Connect with API key' }).click();
  await badge(page, /starts with lin_api_/);
  expect(await linear.connections.get(orgId())).toBeNull();

  await page.fill('input[name=apiKey]', fake.apiKey());
  await page.fill('input[name=webhookSecret]', 'whsec-0123456789abcdef');
  await page.getByRole('button', { name: 'Connect with API key' }).click();
  await badge(page, /Linear: connected/);
  await expect(page.getByTestId('linear-api-health').textContent()).resolves.toBe('reachable');
  expect((await linear.connections.get(orgId()))?.mode).toBe('api_key');

  // The pickers offer what Linear has: the team, its labels and its workflow states.
  const teams = page.getByTestId('linear-teams');
  await teams.getByText('Engineering').waitFor();
  await teams.locator(`input[value="${team.id}"]`).check();
  await page.selectOption('select[name=defaultProjectId]', { label: 'demo-shop' });
  await page.selectOption('select[name=triggerLabel]', 'agents');
  await page.selectOption('select[name=triggerStateName]', 'Todo');
  await page.selectOption('select[name=started]', 'In Progress');
  await page.selectOption('select[name=inReview]', 'In Review');
  await page.selectOption('select[name=done]', 'Done');
  await page.getByRole('button', { name: 'Save' }).click();
  await badge(page, /Linear: saved/);
  await page.screenshot({ path: join(SCREENSHOTS, 'linear-settings.png'), fullPage: true });
  expect((await linear.connections.get(orgId()))?.settings).toMatchObject({
    teamIds: [team.id],
    defaultProjectId: stack.seeded.shop.id,
    triggerLabel: 'agents',
    triggerStateName: 'Todo',
    stateMap: { started: 'In Progress', inReview: 'In Review', done: 'Done' },
  });
  // After a reload the form shows the saved choices.
  await page.reload();
  await expect(page.locator('select[name=triggerLabel]').inputValue()).resolves.toBe('agents');
  await expect(teams.locator(`input[value="${team.id}"]`).isChecked()).resolves.toBe(true);

  await page.getByRole('button', { name: 'Disconnect' }).click();
  await badge(page, /Linear: disconnected/);
  await page.getByText('Not connected.').waitFor();
  expect(await linear.connections.get(orgId())).toBeNull();
  const security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  const actions = (await security.forOrg(orgId()).audit.list({ limit: 20 })).map((e) => e.action);
  await security.close();
  expect(actions).toEqual(expect.arrayContaining(['integration.connected', 'integration.disconnected']));
  await owner.close();
}, 120_000);

it('shows a member no integration settings', async () => {
  const member = await stack.login('member@demo.local');
  const page = await member.newPage();
  await page.goto(PAGE());
  await page.getByText('Only admins and owners manage integrations.').waitFor();
  expect(await page.locator('input[name=apiKey]').count()).toBe(0);
  await member.close();
}, 60_000);

it('links a feature imported from Linear to its issue on the board card', async () => {
  const demo = stack.storage.forOrg(orgId());
  const url = 'https://linear.app/acme/issue/ENG-7/gift-cards';
  const imported = await demo.features.create(stack.seeded.shop.id, { title: 'Gift cards', linearUrl: url });
  const owner = await stack.login('owner@demo.local');
  const page = await owner.newPage();
  await page.goto(`${stack.app.url}/projects/${stack.seeded.shop.id}`);
  const card = page.locator(`[data-feature-key="${imported.key}"]`);
  // The visible one: while the page streams in, Next can hold a hidden copy of the board.
  const link = card.getByTestId('card-linear-link').filter({ visible: true });
  await link.waitFor();
  await expect(link.getAttribute('href')).resolves.toBe(url);
  await expect(link.getAttribute('rel')).resolves.toBe('noreferrer');
  // Features created in Omakase have no such link.
  const cart = page.locator('[data-feature-key="SHOP-1"]').filter({ visible: true });
  await cart.waitFor();
  expect(await cart.getByTestId('card-linear-link').count()).toBe(0);
  await owner.close();
}, 60_000);
