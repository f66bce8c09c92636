import { AppHeader, NoAccess } from '@/components/app-header';
import { Card } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { invitationStatus } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';

export const dynamic = 'force-dynamic';

/** Members and pending invitations; changes go through /api/v1/members and /api/v1/invitations. */
export default async function MembersPage() {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  const security = securityStorage().forOrg(caller.organization.id);
  const members = await security.members.list();
  const invitations = isAllowed(caller.role, 'member:invite') ? await security.invitations.list() : [];
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-4xl space-y-6 px-6 py-8">
        <h1 className="text-2xl font-semibold tracking-tight">Members of {caller.organization.name}</h1>
        <Card>
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left">
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>{m.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        {invitations.length > 0 ? (
          <Card>
            <h2 className="mb-2 font-medium">Invitations</h2>
            <ul className="text-sm">
              {invitations.map((i) => (
                <li key={i.id}>
                  {i.email} — {i.role} — {invitationStatus(i)}
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </main>
    </>
  );
}
