import Link from 'next/link';
import type { Caller } from '@/server/caller';
import { env } from '@/server/env';
import { getMemberships } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { OrgSwitcher } from './org-switcher';
import { Badge } from './ui';

const SETTINGS = [
  ['/settings/members', 'Members'],
  ['/settings/integrations', 'Integrations'],
  ['/settings/audit', 'Audit'],
  ['/settings/work', 'Failed work'],
] as const;

/** Pages below admin do not see (they answer 404 there). */
const ADMIN_ONLY: Record<string, Parameters<typeof isAllowed>[1]> = {
  '/settings/audit': 'audit:read',
  '/settings/work': 'work:manage',
};

export async function AppHeader({ caller }: { caller: Caller }) {
  const memberships = await getMemberships(caller.principal.subject);
  const { principal, organization, role } = caller;
  return (
    <header className="border-b border-line bg-surface">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-4 px-6 py-3">
        <div className="flex items-center gap-3">
          <Link href="/" className="text-lg font-semibold tracking-tight">
            <span className="text-accent">◆</span> Omakase
          </Link>
          <span className="text-line">/</span>
          <span data-testid="org-name" className="font-medium">
            {organization.name}
          </span>
          <OrgSwitcher current={organization.externalId} memberships={memberships} />
          {env().OMAKASE_DEMO_MODE && (
            <span data-testid="demo-mode" title="No ANTHROPIC_API_KEY: agents play scripted sessions">
              <Badge tone="warn">Demo mode · scripted agents</Badge>
            </span>
          )}
        </div>
        <div className="flex items-center gap-3 text-sm">
          <nav className="flex items-center gap-1 text-muted">
            {SETTINGS.filter(([href]) => !ADMIN_ONLY[href] || isAllowed(role, ADMIN_ONLY[href])).map(
              ([href, label]) => (
                <Link key={href} href={href} className="rounded-md px-2 py-1 hover:bg-subtle hover:text-ink">
                  {label}
                </Link>
              ),
            )}
          </nav>
          <span className="text-muted">{principal.name ?? principal.email ?? principal.subject}</span>
          <Badge tone="accent">{role}</Badge>
          <a href="/auth/logout" className="rounded-md px-2 py-1 text-muted hover:bg-subtle hover:text-ink">
            Log out
          </a>
        </div>
      </div>
    </header>
  );
}

export function NoAccess({ reason }: { reason: string }) {
  return (
    <main className="mx-auto mt-24 max-w-md space-y-3 px-6 text-center">
      <h1 className="text-xl font-semibold">No access</h1>
      <p className="text-muted">{reason}</p>
      <a className="text-accent underline" href="/auth/logout">
        Log out
      </a>
    </main>
  );
}
