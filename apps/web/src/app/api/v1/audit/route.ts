import { AuditQuery, routes } from '@omakase/api-contract';
import { fromZodError } from '@/server/api-error';
import { auditPage } from '@/server/security/audit-page';
import { withApi } from '@/server/with-api';

export const GET = withApi(routes.listAuditLog, async ({ request, caller }) => {
  const query = AuditQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw fromZodError(query.error);
  return auditPage(caller.organization.id, query.data);
});
