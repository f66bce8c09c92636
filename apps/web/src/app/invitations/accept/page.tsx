import { AcceptInvitation } from '@/components/settings/accept-invitation';
import { Card } from '@/components/ui';
import { getPageCaller } from '@/server/page-caller';

export const dynamic = 'force-dynamic';

/**
 * Where an invitation link lands (behind a session, like every page). Accepting is an explicit
 * click, a same-origin POST to /api/v1/invitations/accept, never a side effect of the GET.
 */
export default async function AcceptInvitationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // A session is required (login otherwise); any organisation, or none usable yet, may accept.
  await getPageCaller();
  const { token } = await searchParams;
  return (
    <main className="mx-auto mt-24 max-w-md px-6">
      <Card className="space-y-4 p-6">
        <h1 className="text-xl font-semibold">Join an organisation</h1>
        {typeof token === 'string' && token ? (
          <AcceptInvitation token={token} />
        ) : (
          <p className="text-muted">This invitation link is incomplete; ask for a new one.</p>
        )}
      </Card>
    </main>
  );
}
