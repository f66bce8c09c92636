import { AppHeader, NoAccess } from '@/components/app-header';
import { Card } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { securityStorage } from '@/server/security/store';

export const dynamic = 'force-dynamic';

/** The organisation's audit log, newest first; admins and owners only (`audit:read`). */
export default async function AuditPage() {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  if (!isAllowed(caller.role, 'audit:read')) return <NoAccess reason="Only admins can read the audit log." />;
  const entries = await securityStorage().forOrg(caller.organization.id).audit.list({ limit: 200 });
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-5xl space-y-6 px-6 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <Card>
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left">
                <th>When</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Target</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{e.createdAt.toISOString()}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td>{e.target}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </main>
    </>
  );
}
