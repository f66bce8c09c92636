/** Role-based access as data. Each role holds its own grants plus every lower role's. */
import type { Role } from './entities';
import { domainError, ok, type Result } from './errors';

export const ACTIONS = [
  'org:read',
  'project:read',
  'feature:read',
  'run:read',
  'feature:create',
  'feature:update',
  'feature:delete',
  'run:start',
  'run:stop',
  'feature:answer',
  'project:create',
  'project:update',
  'project:delete',
  'settings:update',
  'integration:manage',
  'secret:manage',
  'audit:read',
  'work:manage',
  'member:invite',
  'member:update',
  'member:remove',
] as const;
export type Action = (typeof ACTIONS)[number];

const VIEWER = ['org:read', 'project:read', 'feature:read', 'run:read'] as const satisfies readonly Action[];
const MEMBER = [
  ...VIEWER,
  'feature:create',
  'feature:update',
  'feature:delete',
  'run:start',
  'run:stop',
  'feature:answer',
] as const satisfies readonly Action[];
const ADMIN = [
  ...MEMBER,
  'project:create',
  'project:update',
  'project:delete',
  'settings:update',
  'integration:manage',
  'secret:manage',
  'audit:read',
  'work:manage',
] as const satisfies readonly Action[];
const OWNER = [
  ...ADMIN,
  'member:invite',
  'member:update',
  'member:remove',
] as const satisfies readonly Action[];

export const POLICY: Readonly<Record<Role, readonly Action[]>> = Object.freeze({
  viewer: Object.freeze([...VIEWER]),
  member: Object.freeze([...MEMBER]),
  admin: Object.freeze([...ADMIN]),
  owner: Object.freeze([...OWNER]),
});

const GRANTS: ReadonlyMap<Role, ReadonlySet<Action>> = new Map(
  (Object.keys(POLICY) as Role[]).map((role) => [role, new Set(POLICY[role])]),
);

/** False for unknown roles or actions (e.g. a role claim from a token that is not ours). */
export function can(role: Role, action: Action): boolean {
  return GRANTS.get(role)?.has(action) ?? false;
}

export function authorize(role: Role, action: Action): Result<void> {
  if (can(role, action)) return ok(undefined);
  return domainError('forbidden', `Role '${role}' may not ${action}`, { details: { role, action } });
}
