/** Authorisation of API actions by role: the single check both the API and server actions use. */
import type { ApiAction } from '@omakase/api-contract';
import { AuthError } from '@omakase/auth';
import type { Role } from '@omakase/domain';

// TEMPORARY until @omakase/domain exports rbac `authorize`: minimum role per action.
const MIN_ROLE: Record<ApiAction, Role> = {
  'project:read': 'viewer',
  'project:create': 'admin',
  'project:update': 'admin',
  'project:delete': 'admin',
  'feature:read': 'viewer',
  'feature:create': 'member',
  'feature:update': 'member',
  'feature:delete': 'member',
  'feature:answer': 'member',
  'run:read': 'viewer',
  'run:start': 'member',
  'run:stop': 'member',
};
const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function isAllowed(role: Role, action: ApiAction): boolean {
  return RANK[role] >= RANK[MIN_ROLE[action]];
}

export function assertAllowed(role: Role, action: ApiAction): void {
  if (!isAllowed(role, action))
    throw new AuthError('forbidden', `role "${role}" may not ${action.replace(':', ' ')}`);
}
