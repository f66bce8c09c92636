import { routes } from '@omakase/api-contract';
import { toAuditDto } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listAuditLog, async ({ caller }) => ({
  items: (await securityStorage().forOrg(caller.organization.id).audit.list({ limit: 200 })).map(toAuditDto),
}));
