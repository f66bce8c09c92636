/** Linear OAuth callback: check the state, exchange the code, store sealed tokens, back to settings. */
import { LinearCallbackQuery, routes } from '@omakase/api-contract';
import { fromZodError } from '@/server/api-error';
import { env } from '@/server/env';
import { completeOAuth } from '@/server/linear/connect';
import { checkState, clearStateCookie, cookieNonce } from '@/server/linear/oauth-state';
import { actorOf } from '@/server/security/audit';
import { withApi } from '@/server/with-api';

export const dynamic = 'force-dynamic';

const backToSettings = (outcome: string) =>
  new Response(null, {
    status: 302,
    headers: {
      location: new URL(`/settings/integrations?linear=${outcome}`, env().APP_BASE_URL).toString(),
      'set-cookie': clearStateCookie(),
      'cache-control': 'no-store',
    },
  });

export const GET = withApi(routes.linearCallback, async ({ request, caller }) => {
  const search = new URL(request.url).searchParams;
  // The user declined on Linear's consent page.
  if (search.has('error') && !search.has('code')) return backToSettings('denied');
  const query = LinearCallbackQuery.safeParse(Object.fromEntries(search));
  if (!query.success) throw fromZodError(query.error);
  await checkState(query.data.state, {
    orgId: caller.organization.id,
    subject: caller.principal.subject,
    nonce: cookieNonce(request),
  });
  await completeOAuth(caller.organization.id, query.data.code, actorOf(caller));
  return backToSettings('connected');
});
