import { AppHeader, NoAccess } from '@/components/app-header';
import { InvitationList } from '@/components/settings/invitation-list';
import { InviteForm } from '@/components/settings/invite-form';
import { LeaveButton } from '@/components/settings/leave-button';
import { MemberList } from '@/components/settings/member-list';
import { ResyncButton } from '@/components/settings/resync-button';
import { Card } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';
import { isAllowed } from '@/server/policy';
import { toInvitationDto, toMemberDto } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';

export const dynamic = 'force-dynamic';

/**
 * Members and invitations. Controls appear per RBAC policy; every change is a call to
 * /api/v1/members or /api/v1/invitations, so it passes the same authorisation layer as the API.
 */
export default async function MembersPage() {
  const page = await getPageCaller();
  if (!page.ok) return <NoAccess reason={page.reason} />;
  const { caller } = page;
  const can = {
    invite: isAllowed(caller.role, 'member:invite'),
    update: isAllowed(caller.role, 'member:update'),
    remove: isAllowed(caller.role, 'member:remove'),
  };
  const security = securityStorage().forOrg(caller.organization.id);
  const members = (await security.members.list()).map(toMemberDto);
  const invitations = can.invite ? (await security.invitations.list()).map(toInvitationDto) : [];
  const [lastFailure] = can.update
    ? await security.audit.list({ action: 'auth0.sync_failed', limit: 1 })
    : [];
  const [lastResync] = lastFailure ? await security.audit.list({ action: 'auth0.resynced', limit: 1 }) : [];
  // Ids are time-ordered: a failure after the last successful re-sync is still unrepaired.
  const unrepaired = lastFailure && (!lastResync || lastResync.id < lastFailure.id) ? lastFailure : null;
  return (
    <>
      <AppHeader caller={caller} />
      <main className="mx-auto max-w-4xl space-y-6 px-6 py-8">
        <div className="flex items-center justify-between gap-4">
          <h1 className="text-2xl font-semibold tracking-tight">Members of {caller.organization.name}</h1>
          <LeaveButton organizationName={caller.organization.name} />
        </div>
        {!can.update ? (
          <p data-testid="members-read-only" className="text-sm text-muted">
            Only owners can invite members or change roles; you are {caller.role === 'admin' ? 'an' : 'a'}{' '}
            {caller.role}.
          </p>
        ) : null}
        {unrepaired ? (
          <div
            data-testid="auth0-sync-warning"
            role="alert"
            className="space-y-2 rounded-md bg-warn-soft px-4 py-3 text-sm text-warn"
          >
            <p>
              A change could not be mirrored to Auth0 (last on{' '}
              {unrepaired.createdAt.toISOString().slice(0, 10)}
              ). Our change stands;{' '}
              <a className="underline" href="/settings/audit?action=auth0.sync_failed">
                see which
              </a>
              . A re-sync sets the Auth0 organisation to exactly these members and roles.
            </p>
            <ResyncButton />
          </div>
        ) : null}
        <Card className="p-4">
          <MemberList
            members={members}
            currentUserId={caller.principal.subject}
            canUpdate={can.update}
            canRemove={can.remove}
          />
        </Card>
        {can.invite ? (
          <Card className="space-y-4 p-4">
            <h2 className="font-medium">Invite someone</h2>
            <InviteForm />
            <h2 className="pt-2 font-medium">Invitations</h2>
            <InvitationList invitations={invitations} />
          </Card>
        ) : null}
      </main>
    </>
  );
}
