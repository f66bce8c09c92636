import { routes } from '@omakase/api-contract';
import { toMemberDto } from '@/server/security/dto';
import { securityStorage } from '@/server/security/store';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listMembers, async ({ caller }) => ({
  items: (await securityStorage().forOrg(caller.organization.id).members.list()).map(toMemberDto),
}));
