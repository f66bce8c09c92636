/**
 * Brings an Auth0 organisation in line with Omakase's memberships (the source of truth): every
 * member present with exactly their role, nobody else. Each step is idempotent, so it repairs
 * whatever earlier syncs left half done, in any order.
 */
import type { Role } from '@omakase/domain';
import type { OrganizationDirectory } from './index';

export async function reconcileOrganization(
  directory: OrganizationDirectory,
  orgId: string,
  members: readonly { userId: string; role: Role }[],
): Promise<{ updated: number; removed: number }> {
  const inAuth0 = new Set(await directory.listMembers(orgId));
  for (const m of members) {
    if (inAuth0.has(m.userId)) await directory.setRole(orgId, m.userId, m.role);
    else await directory.addMember(orgId, m.userId, m.role);
  }
  const ours = new Set(members.map((m) => m.userId));
  const extra = [...inAuth0].filter((userId) => !ours.has(userId));
  for (const userId of extra) await directory.removeMember(orgId, userId);
  return { updated: members.length, removed: extra.length };
}
