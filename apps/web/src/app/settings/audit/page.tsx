import { AuditQuery } from '@omakase/api-contract';
import { AUDIT_ACTIONS } from '@omakase/domain';
import { notFound } from 'next/navigation';
import { AppHeader, NoAccess } from '@/components/app-header';
import { AuditTable } from '@/components/settings/audit-table';
import { Card, inputClass } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { auditPage } from '@/server/security/audit-page';
import { securityStorage } from '@/server/security/store';

export const dynamic = 'force-dynamic';

/** The organisation's audit log, newest first, filterable by action; admins and owners only. */
export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  // Below admin the page does not exist (404), as the API answers 403.
  if (!isAllowed(caller.role, 'audit:read')) notFound();
  const raw = await searchParams;
  const parsed = AuditQuery.safeParse({
    action: typeof raw.action === 'string' && raw.action ? raw.action : undefined,
    before: typeof raw.before === 'string' && raw.before ? raw.before : undefined,
    limit: 25,
  });
  const query = parsed.success ? parsed.data : AuditQuery.parse({ limit: 25 });
  const [{ items, nextBefore }, members] = await Promise.all([
    auditPage(caller.organization.id, query),
    securityStorage().forOrg(caller.organization.id).members.list(),
  ]);
  const names: Record<string, string> = Object.fromEntries(
    members.flatMap((m) => [
      [`user:${m.userId}`, m.name],
      [m.id, `${m.name} (${m.email})`],
    ]),
  );
  // People since removed: the email their joining or removal recorded.
  for (const e of items) {
    if (typeof e.details.email !== 'string' || !e.target.startsWith('mem_')) continue;
    names[e.target] ??= e.details.email;
    if (e.action === 'member.joined') names[e.actor] ??= e.details.email;
  }
  const older = nextBefore
    ? `/settings/audit?${new URLSearchParams({ ...(query.action ? { action: query.action } : {}), before: nextBefore })}`
    : null;
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-5xl space-y-6 px-6 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <form method="get" className="flex items-end gap-2 text-sm">
          <label className="space-y-1">
            <span className="block font-medium">Action</span>
            <select name="action" defaultValue={query.action ?? ''} className={inputClass}>
              <option value="">All actions</option>
              {AUDIT_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="rounded-md border border-line px-3 py-2">
            Filter
          </button>
        </form>
        <Card className="p-4">
          <AuditTable entries={items} names={names} />
        </Card>
        <nav className="flex justify-between text-sm">
          {query.before ? (
            <a
              className="text-accent underline"
              href={`/settings/audit${query.action ? `?action=${query.action}` : ''}`}
            >
              Newest
            </a>
          ) : (
            <span />
          )}
          {older ? (
            <a className="text-accent underline" href={older} data-testid="audit-older">
              Older entries →
            </a>
          ) : null}
        </nav>
      </main>
    </>
  );
}
