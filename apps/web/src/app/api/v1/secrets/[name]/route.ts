import { routes } from '@omakase/api-contract';
import { ApiError } from '@/server/api-error';
import { actorOf } from '@/server/security/audit';
import { deleteSecret } from '@/server/security/vault';
import { withApi } from '@/server/with-api';

export const DELETE = withApi(routes.deleteSecret, async ({ caller, params }) => {
  const deleted = await deleteSecret(caller.organization.id, params.name, actorOf(caller));
  if (!deleted) throw new ApiError('not_found', 'secret not found');
});
