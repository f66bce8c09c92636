/** One page of the audit log (newest first), shared by `/api/v1/audit` and `/settings/audit`. */
import type { AuditQuery } from '@omakase/api-contract';
import type { OrgId } from '@omakase/domain';
import type { z } from 'zod';
import { toAuditDto } from './dto';
import { securityStorage } from './store';

export async function auditPage(orgId: OrgId, query: z.output<typeof AuditQuery>) {
  // One extra row tells whether an older page exists without a count query.
  const rows = await securityStorage()
    .forOrg(orgId)
    .audit.list({ limit: query.limit + 1, action: query.action, before: query.before });
  const items = rows.slice(0, query.limit).map(toAuditDto);
  return { items, nextBefore: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
}
