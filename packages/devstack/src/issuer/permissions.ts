import type { Role } from '@omakase/domain';

/**
 * RBAC actions carried in the access token's `permissions` claim, as Auth0 RBAC would.
 * Mirrors the role policy: each role has everything the role below it has.
 */
const VIEWER = ['project:read', 'feature:read', 'run:read', 'event:read'];
const MEMBER = [...VIEWER, 'feature:create', 'feature:update', 'run:start', 'run:cancel', 'question:answer'];
const ADMIN = [
  ...MEMBER,
  'project:create',
  'project:update',
  'member:read',
  'member:invite',
  'member:update',
];
const OWNER = [...ADMIN, 'project:delete', 'member:remove', 'org:update'];

const BY_ROLE: Record<Role, readonly string[]> = {
  viewer: VIEWER,
  member: MEMBER,
  admin: ADMIN,
  owner: OWNER,
};

export function permissionsFor(role: Role): string[] {
  return [...BY_ROLE[role]];
}
