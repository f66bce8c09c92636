/** Starts the Linear OAuth install (actor=app): redirect to Linear, state bound to org, user and browser. */
import { routes } from '@omakase/api-contract';
import { authorizeUrl } from '@omakase/linear';
import { requireOAuthApp } from '@/server/linear/config';
import { createState, stateCookie } from '@/server/linear/oauth-state';
import { withApi } from '@/server/with-api';

export const dynamic = 'force-dynamic';

export const GET = withApi(routes.installLinear, async ({ caller }) => {
  const app = requireOAuthApp();
  const { state, nonce } = await createState(caller.organization.id, caller.principal.subject);
  return new Response(null, {
    status: 302,
    headers: {
      location: authorizeUrl(app, state),
      'set-cookie': stateCookie(nonce),
      'cache-control': 'no-store',
    },
  });
});
