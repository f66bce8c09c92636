import { routes } from '@omakase/api-contract';
import { actorOf } from '@/server/security/audit';
import { toSecretDto } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';
import { saveSecret } from '@/server/security/vault';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listSecrets, async ({ caller }) => ({
  items: (await securityStorage().forOrg(caller.organization.id).secrets.list()).map(toSecretDto),
}));

export const POST = withApi(routes.putSecret, async ({ caller, body }) =>
  toSecretDto(await saveSecret(caller.organization.id, body, actorOf(caller))),
);
