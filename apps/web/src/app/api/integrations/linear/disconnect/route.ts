/** Revokes the organisation's Linear token and deletes the connection (idempotent). */
import { routes } from '@omakase/api-contract';
import { disconnect } from '@/server/linear/connect';
import { actorOf } from '@/server/security/audit';
import { withApi } from '@/server/with-api';

export const POST = withApi(routes.disconnectLinear, async ({ caller }) => {
  await disconnect(caller.organization.id, actorOf(caller));
});
