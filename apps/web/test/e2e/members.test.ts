/**
 * Members in the browser: an owner invites, the invitee accepts and signs in to the org, is
 * demoted to viewer (read-only UI, API 403), the last owner cannot remove themselves, and the
 * audit page shows it all. The issuer reads memberships from the database, as in `npm start`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecurityStorage } from '@omakase/db';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DashboardStack, SCREENSHOTS, startDashboardStack } from './dashboard-support';

let stack: DashboardStack;

beforeAll(async () => {
  stack = await startDashboardStack({}, { membershipsFromDatabase: true });
}, 600_000);
afterAll(() => stack?.close());

const login = (email: string) => stack.login(email);

/** A same-origin fetch from the page: the session cookie and the browser's Origin header, like the UI. */
const apiFrom = (page: Page, method: string, path: string, body?: unknown) =>
  page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p as string, {
        method: m as string,
        headers: { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: r.status, json: await r.json().catch(() => null) };
    },
    [method, path, body] as const,
  );

it('invites, accepts, demotes to a read-only viewer, keeps the last owner and audits it all', async () => {
  const owner = await (await login('owner@demo.local')).newPage();
  owner.on('dialog', (d) => d.accept());
  await owner.goto(`${stack.app.url}/settings/members`);
  await owner.fill('input[name=email]', 'other@other.local');
  await owner.selectOption('select[name=role]', 'member');
  await owner.getByRole('button', { name: 'Invite' }).click();
  const link = await owner.getByTestId('invitation-link').inputValue();
  expect(link).toMatch(new RegExp(`^${stack.app.url}/invitations/accept\\?token=[\\w-]{43}$`));
  await owner.getByTestId('invitation-other@other.local').getByText('pending').waitFor();
  await mkdir(SCREENSHOTS, { recursive: true });
  await owner.screenshot({ path: join(SCREENSHOTS, 'members-owner.png'), fullPage: true });

  // Oscar (owner of another org) opens the link, accepts and signs in to Demo.
  const oscar = await (await login('other@other.local')).newPage();
  await oscar.goto(link);
  await oscar.getByRole('button', { name: 'Accept invitation' }).click();
  await oscar.getByText('You joined as member').waitFor();
  await oscar.getByRole('link', { name: 'Continue to the organisation' }).click();
  await oscar.waitForURL(`${stack.app.url}/settings/members`);
  await expect(oscar.getByTestId('org-name').textContent()).resolves.toBe('Demo');

  // The owner sees the accepted invitation and demotes Oscar to viewer.
  await owner.reload();
  await owner.getByTestId('invitation-other@other.local').getByText('accepted').waitFor();
  const oscarRow = owner.getByTestId('member-other@other.local');
  await oscarRow.getByLabel('Role of other@other.local').selectOption('viewer');
  await owner.waitForFunction(
    () =>
      (document.querySelector('[aria-label="Role of other@other.local"]') as HTMLSelectElement | null)
        ?.value === 'viewer',
  );
  expect(
    (await stack.storage.organizations.membershipsOf('local|other')).map((m) => m.member.role).sort(),
  ).toEqual(['owner', 'viewer']);

  // As a viewer: no controls, and the API refuses a change.
  await oscar.reload();
  await oscar.getByTestId('members-read-only').waitFor();
  expect(await oscar.getByRole('link', { name: 'Audit' }).count()).toBe(0);
  await oscar.screenshot({ path: join(SCREENSHOTS, 'members-viewer.png'), fullPage: true });
  expect(await oscar.locator('select, button:has-text("Remove"), button:has-text("Invite")').count()).toBe(0);
  const members = (await apiFrom(oscar, 'GET', '/api/v1/members')).json.items as {
    id: string;
    userId: string;
  }[];
  const oliviaId = members.find((m) => m.userId === 'local|owner')!.id;
  const refused = await apiFrom(oscar, 'PATCH', `/api/v1/members/${oliviaId}`, { role: 'viewer' });
  expect(refused.status).toBe(403);
  expect(refused.json.error.code).toBe('forbidden');
  const audit = await oscar.goto(`${stack.app.url}/settings/audit`);
  expect(audit?.status()).toBe(404);

  // The only owner cannot remove themselves; the API's reason is shown inline.
  await owner.getByTestId('member-owner@demo.local').getByRole('button', { name: 'Remove' }).click();
  await expect(owner.getByTestId('members-error').textContent()).resolves.toBe(
    'an organisation must keep at least one owner',
  );
  await owner.getByTestId('member-owner@demo.local').waitFor();
  await owner.getByRole('button', { name: 'Leave Demo' }).click();
  await expect(owner.getByTestId('leave-error').textContent()).resolves.toBe(
    'an organisation must keep at least one owner',
  );

  await owner.getByTestId('member-other@other.local').getByRole('button', { name: 'Remove' }).click();
  await owner.getByTestId('member-other@other.local').waitFor({ state: 'detached' });

  await owner.goto(`${stack.app.url}/settings/audit`);
  const actions = await owner
    .getByTestId('audit-row')
    .evaluateAll((rows) => rows.map((r) => r.dataset.action));
  expect(actions.slice(0, 4)).toEqual([
    'member.removed',
    'member.role_changed',
    'member.joined',
    'member.invited',
  ]);
  // Readable: people by name (a removed one by the recorded email), actions in words.
  await expect(owner.getByTestId('audit-row').first().textContent()).resolves.toMatch(
    /Olivia Owner.*Removed a member.*other@other\.local/,
  );
  await expect(owner.getByTestId('audit-row').nth(2).textContent()).resolves.toMatch(
    /other@other\.local.*Joined \(accepted an invitation\).*other@other\.local/,
  );
  await owner.screenshot({ path: join(SCREENSHOTS, 'audit-log.png'), fullPage: true });

  // Without a session, the link's Auth0 invitation ticket (Auth0 mode) is passed on to the login.
  const anonymous = await fetch(
    `${stack.app.url}/invitations/accept?token=x&invitation=tkt_1&organization=org_demo`,
    { redirect: 'manual' },
  );
  const loginUrl = new URL(anonymous.headers.get('location')!, stack.app.url);
  expect([
    loginUrl.pathname,
    loginUrl.searchParams.get('invitation'),
    loginUrl.searchParams.get('organization'),
  ]).toEqual(['/auth/login', 'tkt_1', 'org_demo']);
  expect(loginUrl.searchParams.get('returnTo')).toBe(
    '/invitations/accept?token=x&invitation=tkt_1&organization=org_demo',
  );

  await owner.selectOption('select[name=action]', 'member.role_changed');
  await owner.getByRole('button', { name: 'Filter' }).click();
  await owner.waitForURL(/action=member\.role_changed/);
  const filtered = await owner
    .getByTestId('audit-row')
    .evaluateAll((rows) => rows.map((r) => r.dataset.action));
  expect(filtered).toEqual(['member.role_changed']);
  await expect(owner.getByTestId('audit-row').textContent()).resolves.toContain('from: member · to: viewer');

  // A failed Auth0 sync (Auth0 mode) is pointed out to owners on the members page.
  const security = createSecurityStorage(stack.database.url, { maxConnections: 1 });
  await security.forOrg(stack.seeded.orgs.org_demo!.id).audit.record({
    actor: 'user:local|owner',
    action: 'auth0.sync_failed',
    target: 'mem_x',
    details: { operation: 'set_role', error: 'POST …/roles: 503' },
  });
  await security.close();
  await owner.goto(`${stack.app.url}/settings/members`);
  // Here (local issuer) there is no Auth0 to re-sync with: the API's 409 is shown inline.
  await owner.getByRole('button', { name: 'Re-sync with Auth0' }).click();
  await expect(owner.getByTestId('resync-error').textContent()).resolves.toMatch(/not configured/);
  await owner.getByTestId('auth0-sync-warning').getByRole('link', { name: 'see which' }).click();
  await owner.waitForURL(/action=auth0\.sync_failed/);
  await expect(owner.getByTestId('audit-row').textContent()).resolves.toMatch(
    /Auth0 sync failed.*operation: set_role/,
  );
});
