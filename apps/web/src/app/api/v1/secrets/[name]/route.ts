import { routes } from '@omakase/api-contract';
import { ApiError } from '@/server/api-error';
import { actorOf } from '@/server/security/audit';
import { securityStorage } from '@/server/security/store';
import { withApi } from '@/server/with-api';

export const DELETE = withApi(routes.deleteSecret, async ({ caller, params }) => {
  const deleted = await securityStorage()
    .forOrg(caller.organization.id)
    .secrets.delete(params.name, { actor: actorOf(caller) });
  if (!deleted) throw new ApiError('not_found', 'secret not found');
});
